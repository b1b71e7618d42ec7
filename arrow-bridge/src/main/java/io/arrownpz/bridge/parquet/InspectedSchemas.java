package io.arrownpz.bridge.parquet;

import io.arrownpz.bridge.internal.KeptByBytes;
import io.arrownpz.bridge.internal.SchemaHeap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Dataset schemas by the footer they were inspected from. Arrow Java's {@code finish()} has Arrow C++ inspect
 * the file (parse its footer, work the schema out) and hands the schema back to C++ with the dataset; the
 * schema follows from the footer's bytes alone, so for a footer seen before, the schema inspected then is
 * handed over instead. At 10,000 columns the inspection was 44 of the 330 ms a read took; reading the
 * footer to compare costs under a millisecond. What Arrow C++ leaves out of the schema but the footer says
 * (its UUID and JSON columns, see {@link ParquetExtensionTypes}) is read from the footer then too.
 */
final class InspectedSchemas {
  /** 16 footers at most, and 32 MiB of heap: their bytes, and what the schemas inspected from them hold. */
  static final KeptByBytes<Inspected> KEPT = new KeptByBytes<>(16, 32L << 20,
      inspected -> SchemaHeap.of(inspected.schema()) + 256L * inspected.extensions().size());

  /** The schema Arrow C++ works out (what the dataset is given back), and its UUID and JSON columns by name path. */
  record Inspected(Schema schema, java.util.Map<List<String>, String> extensions) {}

  private InspectedSchemas() {}

  /** The dataset's schema: the one inspected before from the same footer, or inspected now (and kept). */
  static Inspected of(FileSystemDatasetFactory factory, Path path) {
    ByteBuffer footer = footerOrNull(path);
    Inspected known = footer == null ? null : KEPT.get(footer);
    if (known != null) {
      return known;
    }
    Schema inspected = factory.inspect();
    return footer == null ? new Inspected(inspected, java.util.Map.of())
        : KEPT.keep(footer, new Inspected(inspected, extensionsOrNone(footer)));
  }

  /** The footer's UUID and JSON columns; none where it cannot be walked (Arrow C++ has read it, so it is sound). */
  private static java.util.Map<List<String>, String> extensionsOrNone(ByteBuffer footer) {
    try {
      return ParquetExtensionTypes.columns(footer.array()); // footerOrNull wraps the whole footer's array
    } catch (RuntimeException e) {
      return java.util.Map.of();
    }
  }

  /** The footer's bytes, or null where they cannot be read (Arrow C++ then says what is wrong with the file). */
  private static ByteBuffer footerOrNull(Path path) {
    try {
      return ByteBuffer.wrap(ParquetFooter.read(path));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
