package io.arrownpz.bridge.parquet;

import io.arrownpz.bridge.internal.KeptByBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Dataset schemas by the footer they were inspected from. Arrow Java's {@code finish()} has Arrow C++ inspect
 * the file (parse its footer, work the schema out) and hands the schema back to C++ with the dataset; the
 * schema follows from the footer's bytes alone, so for a footer seen before, the schema inspected then is
 * handed over instead. At 10,000 columns the inspection was 44 of the 330 ms a read took; reading the
 * footer to compare costs under a millisecond.
 */
final class InspectedSchemas {
  /** 16 footers and 32 MiB of them at most. */
  static final KeptByBytes<Schema> KEPT = new KeptByBytes<>(16, 32L << 20);

  private InspectedSchemas() {}

  /** The dataset's schema: the one inspected before from the same footer, or inspected now (and kept). */
  static Schema of(FileSystemDatasetFactory factory, Path path) {
    ByteBuffer footer = footerOrNull(path);
    Schema known = footer == null ? null : KEPT.get(footer);
    if (known != null) {
      return known;
    }
    Schema inspected = factory.inspect();
    return footer == null ? inspected : KEPT.keep(footer, inspected);
  }

  /** The footer's bytes, or null where they cannot be read (Arrow C++ then says what is wrong with the file). */
  private static ByteBuffer footerOrNull(Path path) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return ByteBuffer.wrap(ParquetFooter.read(channel, path));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
