package io.arrownpz.bridge.ipc;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;

/** Arrow's file writer, with each record batch's buffers compressed together, in parallel. */
final class CompressingFileWriter extends ArrowFileWriter {
  private final CompressedBatches batches;

  CompressingFileWriter(VectorSchemaRoot root, DictionaryProvider dictionaries, WritableByteChannel out,
      CompressionUtil.CodecType codecType, CompressionCodec.Factory codecs) {
    // No footer metadata: the schema (in the footer too) already carries the table's, and a second copy of
    // a wide frame's pandas description doubled what every reader decodes.
    super(root, dictionaries, out, null, IpcOption.DEFAULT, codecs, codecType);
    this.batches = new CompressedBatches(root, dictionaries, codecs.createCodec(codecType));
  }

  @Override
  public void writeBatch() throws IOException {
    if (!batches.compresses()) {
      super.writeBatch();
      return;
    }
    start();
    batches.write(this::ensureDictionariesWritten, this::writeRecordBatch);
  }
}
