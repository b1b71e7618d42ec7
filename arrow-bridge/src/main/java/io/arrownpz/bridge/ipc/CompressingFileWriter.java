package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.compression.FastCompressionFactory;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.Set;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;

/** Arrow's file writer, with each record batch's buffers compressed together, in parallel. */
final class CompressingFileWriter extends ArrowFileWriter {
  private final VectorSchemaRoot root;
  private final DictionaryProvider dictionaries;
  private final Set<Long> dictionaryIds;
  private final CompressionCodec codec;

  CompressingFileWriter(VectorSchemaRoot root, DictionaryProvider dictionaries, WritableByteChannel out,
      CompressionUtil.CodecType codecType) {
    super(root, dictionaries, out, root.getSchema().getCustomMetadata(), IpcOption.DEFAULT,
        FastCompressionFactory.INSTANCE, codecType);
    this.root = root;
    this.dictionaries = dictionaries == null ? new DictionaryProvider.MapDictionaryProvider() : dictionaries;
    this.dictionaryIds = CompressedBatches.dictionaryIds(root.getSchema().getFields());
    this.codec = FastCompressionFactory.INSTANCE.createCodec(codecType);
  }

  @Override
  public void writeBatch() throws IOException {
    if (codec.getCodecType() == CompressionUtil.CodecType.NO_COMPRESSION) {
      super.writeBatch();
      return;
    }
    start();
    ensureDictionariesWritten(dictionaries, dictionaryIds);
    CompressedBatches.write(root, codec, this::writeRecordBatch);
  }
}
