package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.compression.BatchCompression;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * What our IPC writers do instead of Arrow's one-buffer-at-a-time unloading: unload the root without
 * compression, compress all its buffers at once (in parallel), write the result.
 */
final class CompressedBatches {
  @FunctionalInterface
  interface Sink {
    void write(ArrowRecordBatch batch) throws IOException;
  }

  private CompressedBatches() {}

  static void write(VectorSchemaRoot root, CompressionCodec codec, Sink sink) throws IOException {
    BufferAllocator allocator = root.getFieldVectors().isEmpty() ? null : root.getFieldVectors().get(0).getAllocator();
    try (ArrowRecordBatch plain = new VectorUnloader(root, true, NoCompressionCodec.INSTANCE, true).getRecordBatch();
         ArrowRecordBatch compressed = allocator == null ? null : BatchCompression.compress(plain, codec, allocator)) {
      sink.write(compressed == null ? plain : compressed);
    }
  }

  /** The ids of the dictionaries a schema's fields (at any depth) are encoded with. */
  static Set<Long> dictionaryIds(List<Field> fields) {
    Set<Long> ids = new HashSet<>();
    collect(fields, ids);
    return ids;
  }

  private static void collect(List<Field> fields, Set<Long> ids) {
    for (Field f : fields) {
      if (f.getDictionary() != null) {
        ids.add(f.getDictionary().getId());
      }
      collect(f.getChildren(), ids);
    }
  }
}
