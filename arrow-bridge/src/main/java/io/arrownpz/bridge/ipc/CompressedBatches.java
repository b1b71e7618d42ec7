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
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What our IPC writers (file and stream) do instead of Arrow's one-buffer-at-a-time unloading: unload
 * a batch without compression, compress all its buffers at once (in parallel), write the result.
 * Arrow's writers keep their dictionaries and record-batch writing protected, so the writer hands them
 * in as callbacks.
 */
final class CompressedBatches {
  @FunctionalInterface
  interface DictionaryStep {
    void ensureWritten(DictionaryProvider dictionaries, Set<Long> ids) throws IOException;
  }

  @FunctionalInterface
  interface Sink {
    void write(ArrowRecordBatch batch) throws IOException;
  }

  private final DictionaryProvider dictionaries;
  /** The dictionaries the writer's schema uses: every batch written has that schema. */
  private final Set<Long> dictionaryIds;
  private final CompressionCodec codec;

  CompressedBatches(Schema schema, DictionaryProvider dictionaries, CompressionCodec codec) {
    this.dictionaries = dictionaries == null ? new DictionaryProvider.MapDictionaryProvider() : dictionaries;
    this.dictionaryIds = dictionaryIds(schema.getFields());
    this.codec = codec;
  }

  /** Whether there is anything to compress (otherwise Arrow's own path is as good). */
  boolean compresses() {
    return codec.getCodecType() != CompressionUtil.CodecType.NO_COMPRESSION;
  }

  /** Has the writer write the dictionaries the schema's columns use, if it has not yet. */
  void ensureWritten(DictionaryStep dictionaryStep) throws IOException {
    dictionaryStep.ensureWritten(dictionaries, dictionaryIds);
  }

  /** Writes {@code root} (of the writer's schema) as one record batch, its buffers compressed if there is a codec. */
  void write(VectorSchemaRoot root, DictionaryStep dictionaryStep, Sink sink) throws IOException {
    ensureWritten(dictionaryStep);
    BufferAllocator allocator = root.getFieldVectors().isEmpty() ? null : root.getFieldVectors().get(0).getAllocator();
    try (ArrowRecordBatch plain = new VectorUnloader(root, true, NoCompressionCodec.INSTANCE, true).getRecordBatch();
         ArrowRecordBatch compressed = allocator == null || !compresses() ? null
             : BatchCompression.compress(plain, codec, allocator)) {
      sink.write(compressed == null ? plain : compressed);
    }
  }

  /** The ids of the dictionaries a schema's fields (at any depth) are encoded with. */
  private static Set<Long> dictionaryIds(List<Field> fields) {
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
