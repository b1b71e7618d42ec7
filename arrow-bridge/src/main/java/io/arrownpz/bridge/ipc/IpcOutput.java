package io.arrownpz.bridge.ipc;

import io.arrownpz.internal.io.AtomicFile;
import io.arrownpz.internal.io.CoalescingChannel;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowWriter;

/**
 * The one way IPC files and streams are written: through a temporary file renamed into place, the
 * writer started, each batch written as the root holds it, the writer ended. Writes are gathered
 * ({@link CoalescingChannel}): Arrow's writer makes one per buffer.
 */
final class IpcOutput {
  /** Makes the writer (file or stream) over a root and its dictionaries. */
  @FunctionalInterface
  interface Writers {
    ArrowWriter open(VectorSchemaRoot root, DictionaryProvider dictionaries, WritableByteChannel out);
  }

  private IpcOutput() {}

  /** A table we hold, as one batch. */
  static void write(VectorSchemaRoot table, Path path, Writers writers) throws IOException {
    try (AtomicFile out = AtomicFile.create(path)) {
      try (ArrowWriter writer = writers.open(table, null, new CoalescingChannel(out.channel()))) {
        writer.start();
        writer.writeBatch();
        writer.end();
      }
      out.commit();
    }
  }

  /** Every batch a reader gives, one after another, holding one at a time. */
  static void write(ArrowReader reader, Path path, Writers writers) throws IOException {
    try (AtomicFile out = AtomicFile.create(path)) {
      try (ArrowWriter writer = writers.open(reader.getVectorSchemaRoot(), reader,
        new CoalescingChannel(out.channel()))) {
        writer.start();
        while (reader.loadNextBatch()) {
          writer.writeBatch();
        }
        writer.end();
      }
      out.commit();
    }
  }
}
