package io.arrownpz.bridge.compression;

import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * The IPC codecs of arrow-npz: LZ4_FRAME (lz4-java, with our decoder for linked blocks) and ZSTD
 * (zstd-jni), on off-heap memory directly, and NO_COMPRESSION, so that one factory serves every file.
 * Usable with Arrow Java's own readers and writers:
 *
 * <pre>{@code
 * new ArrowFileWriter(root, null, channel, null, IpcOption.DEFAULT, FastCompressionFactory.INSTANCE,
 *     CompressionUtil.CodecType.LZ4_FRAME);
 * new ArrowFileReader(channel, allocator, FastCompressionFactory.INSTANCE);
 * }</pre>
 *
 * <p>A compressed buffer's declared length decides an allocation, so it is bounded: by what the codec
 * can expand to (LZ4) and by {@code maxBufferBytes} per buffer.
 */
public final class FastCompressionFactory implements CompressionCodec.Factory {
  /** 8 GiB per buffer unless configured: far above any batch pyarrow writes by default. */
  public static final long DEFAULT_MAX_BUFFER_BYTES = 8L << 30;

  public static final FastCompressionFactory INSTANCE = new FastCompressionFactory(DEFAULT_MAX_BUFFER_BYTES);

  private final long maxBufferBytes;

  public FastCompressionFactory(long maxBufferBytes) {
    if (maxBufferBytes <= 0) {
      throw new IllegalArgumentException("maxBufferBytes must be positive");
    }
    this.maxBufferBytes = maxBufferBytes;
  }

  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
    return switch (codecType) {
      case NO_COMPRESSION -> NoCompressionCodec.INSTANCE;
      case LZ4_FRAME -> new Lz4FrameCodec(maxBufferBytes);
      case ZSTD -> new ZstdCodec(ZstdCodec.DEFAULT_LEVEL, maxBufferBytes);
    };
  }

  /** As {@link #createCodec(CompressionUtil.CodecType)}; the level applies to ZSTD (LZ4 has one speed). */
  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
    return codecType == CompressionUtil.CodecType.ZSTD
        ? new ZstdCodec(compressionLevel, maxBufferBytes) : createCodec(codecType);
  }
}
