package io.arrownpz.bridge.ipc;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * The codec factory for IPC reads and writes. arrow-compression's factory throws for NO_COMPRESSION, so
 * this one answers that itself and hands LZ4 and ZSTD to it.
 */
public final class Codecs implements CompressionCodec.Factory {
  public static final Codecs INSTANCE = new Codecs();

  private Codecs() {}

  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
    return codecType == CompressionUtil.CodecType.NO_COMPRESSION
        ? NoCompressionCodec.INSTANCE : CommonsCompressionFactory.INSTANCE.createCodec(codecType);
  }

  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
    return codecType == CompressionUtil.CodecType.NO_COMPRESSION
        ? NoCompressionCodec.INSTANCE : CommonsCompressionFactory.INSTANCE.createCodec(codecType, compressionLevel);
  }
}
