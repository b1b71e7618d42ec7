package io.arrownpz.bridge.ipc;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;

/** Arrow's stream writer, with each record batch's buffers compressed together, in parallel. */
final class CompressingStreamWriter extends ArrowStreamWriter {
  private final VectorSchemaRoot root;
  private final CompressedBatches batches;

  CompressingStreamWriter(VectorSchemaRoot root, DictionaryProvider dictionaries, WritableByteChannel out,
      CompressionUtil.CodecType codecType, CompressionCodec.Factory codecs) {
    super(root, dictionaries, out, IpcOption.DEFAULT, codecs, codecType);
    this.root = root;
    this.batches = new CompressedBatches(root.getSchema(), dictionaries, codecs.createCodec(codecType));
  }

  @Override
  public void writeBatch() throws IOException {
    if (!batches.compresses()) {
      super.writeBatch();
      return;
    }
    start();
    batches.write(root, this::ensureDictionariesWritten, this::writeRecordBatch);
  }

  /**
   * Inner dictionaries first: a reader needs them to load a dictionary whose values use them. Arrow's
   * writer sends a dictionary again only when its own values changed; one holding another's indices can
   * mean other values with the same indices, so those (and the ones they use) are sent with every batch.
   */
  @Override
  protected void ensureDictionariesWritten(DictionaryProvider provider, java.util.Set<Long> ids) throws IOException {
    java.util.Set<Long> ordered = DictionaryOrder.innerFirst(provider, ids);
    java.util.Set<Long> nested = DictionaryOrder.nested(provider, ordered);
    java.util.Set<Long> rest = new java.util.LinkedHashSet<>(ordered);
    rest.removeAll(nested);
    super.ensureDictionariesWritten(provider, rest);
    for (long id : nested) {
      writeDictionaryBatch(provider.lookup(id));
    }
  }
}
