package io.arrownpz.bridge.ipc;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;

/**
 * Arrow's file writer, with each record batch's buffers compressed together, in parallel, and one
 * dictionary per column across the file however the batches' dictionaries change ({@link FileDictionaries}).
 */
final class CompressingFileWriter extends ArrowFileWriter {
  private final VectorSchemaRoot root;
  private final DictionaryProvider dictionaries;
  private final CompressionCodec codec;
  private final CompressedBatches batches;
  private final FileDictionaries fileDictionaries = new FileDictionaries();

  CompressingFileWriter(VectorSchemaRoot root, DictionaryProvider dictionaries, WritableByteChannel out,
      CompressionUtil.CodecType codecType, CompressionCodec.Factory codecs) {
    // No footer metadata: the schema (in the footer too) already carries the table's, and a second copy of
    // a wide frame's pandas description doubled what every reader decodes.
    super(root, dictionaries, out, null, IpcOption.DEFAULT, codecs, codecType);
    this.root = root;
    this.dictionaries = dictionaries;
    this.codec = codecs.createCodec(codecType);
    this.batches = new CompressedBatches(root.getSchema(), dictionaries, codec);
  }

  @Override
  public void writeBatch() throws IOException {
    start();
    if (dictionaries == null || dictionaries.getDictionaryIds().isEmpty()) {
      write(root);
      return;
    }
    // The file's dictionaries (the first batch's) are written before any delta.
    batches.ensureWritten(this::ensureDictionariesWritten);
    try (FileDictionaries.Batch batch = fileDictionaries.align(root, dictionaries, this::writeDelta)) {
      write(batch.root());
    }
  }

  private void write(VectorSchemaRoot batch) throws IOException {
    if (batch == root && !batches.compresses()) {
      super.writeBatch();
    } else {
      batches.write(batch, this::ensureDictionariesWritten, this::writeRecordBatch);
    }
  }

  @Override
  public void close() {
    try {
      super.close();
    } finally {
      fileDictionaries.close();
    }
  }

  private void writeDelta(long id, FieldVector values) throws IOException {
    VectorSchemaRoot one = new VectorSchemaRoot(List.of(values.getField()), List.of(values), values.getValueCount());
    try (ArrowRecordBatch plain = new VectorUnloader(one, true, codec, true).getRecordBatch();
         ArrowDictionaryBatch delta = new ArrowDictionaryBatch(id, plain, true)) {
      writeDictionaryBatch(delta);
    }
  }

  /** Inner dictionaries first: a reader needs them to load a dictionary whose values use them. */
  @Override
  protected void ensureDictionariesWritten(DictionaryProvider provider, java.util.Set<Long> ids) throws IOException {
    super.ensureDictionariesWritten(provider, DictionaryOrder.innerFirst(provider, ids));
  }
}
