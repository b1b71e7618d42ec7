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
}
