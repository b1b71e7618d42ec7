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
 * can expand to (LZ4) and by {@code maxBufferBytes} per buffer. The factory is registered as a service
 * ({@code META-INF/services}), so Arrow Java's own {@code CompressionCodec.Factory.INSTANCE} finds it on
 * the class path; every reader and writer of the bridge takes one (this one by default).
 */
public final class FastCompressionFactory implements CompressionCodec.Factory {
  /** 8 GiB per buffer unless configured: far above any batch pyarrow writes by default. */
  public static final long DEFAULT_MAX_BUFFER_BYTES = 8L << 30;
  /** Arrow C++ (pyarrow) compresses IPC buffers at ZSTD level 1 unless told otherwise. */
  public static final int DEFAULT_ZSTD_LEVEL = 1;
  /** LZ4 block sizes an LZ4 frame can declare. */
  public static final java.util.List<Integer> LZ4_BLOCK_SIZES = java.util.List.of(64 << 10, 256 << 10, 1 << 20, 4 << 20);

  /** The defaults: 8 GiB per buffer, ZSTD level 1, LZ4 blocks as large as a buffer needs (up to 4 MiB). */
  public static final FastCompressionFactory INSTANCE = new FastCompressionFactory();

  private final long maxBufferBytes;
  private final int zstdLevel;
  private final int lz4BlockSize;

  /** The defaults; this is also the constructor {@link java.util.ServiceLoader} calls. */
  public FastCompressionFactory() {
    this(DEFAULT_MAX_BUFFER_BYTES, DEFAULT_ZSTD_LEVEL, LZ4_BLOCK_SIZES.get(LZ4_BLOCK_SIZES.size() - 1));
  }

  /** The defaults, with at most {@code maxBufferBytes} declared per decompressed buffer. */
  public FastCompressionFactory(long maxBufferBytes) {
    this(maxBufferBytes, DEFAULT_ZSTD_LEVEL, LZ4_BLOCK_SIZES.get(LZ4_BLOCK_SIZES.size() - 1));
  }

  private FastCompressionFactory(long maxBufferBytes, int zstdLevel, int lz4BlockSize) {
    if (maxBufferBytes <= 0) {
      throw new IllegalArgumentException("maxBufferBytes must be positive");
    }
    if (zstdLevel < com.github.luben.zstd.Zstd.minCompressionLevel()
        || zstdLevel > com.github.luben.zstd.Zstd.maxCompressionLevel()) {
      throw new IllegalArgumentException("ZSTD level " + zstdLevel + " is outside "
          + com.github.luben.zstd.Zstd.minCompressionLevel() + ".." + com.github.luben.zstd.Zstd.maxCompressionLevel());
    }
    if (!LZ4_BLOCK_SIZES.contains(lz4BlockSize)) {
      throw new IllegalArgumentException("LZ4 block size must be one of " + LZ4_BLOCK_SIZES + ", not " + lz4BlockSize);
    }
    this.maxBufferBytes = maxBufferBytes;
    this.zstdLevel = zstdLevel;
    this.lz4BlockSize = lz4BlockSize;
  }

  /** This factory, with a bound on what one compressed buffer may declare it decompresses to. */
  public FastCompressionFactory withMaxBufferBytes(long value) {
    return new FastCompressionFactory(value, zstdLevel, lz4BlockSize);
  }

  /** This factory, compressing ZSTD at {@code value} (negative levels are zstd's fast ones). */
  public FastCompressionFactory withZstdLevel(int value) {
    return new FastCompressionFactory(maxBufferBytes, value, lz4BlockSize);
  }

  /**
   * This factory, writing LZ4 frames with blocks of at most {@code value} bytes (64 KiB, 256 KiB, 1 MiB or
   * 4 MiB): smaller blocks are what small-memory LZ4 readers need; larger ones compress a little better.
   */
  public FastCompressionFactory withLz4BlockSize(int value) {
    return new FastCompressionFactory(maxBufferBytes, zstdLevel, value);
  }

  public long maxBufferBytes() {
    return maxBufferBytes;
  }

  public int zstdLevel() {
    return zstdLevel;
  }

  public int lz4BlockSize() {
    return lz4BlockSize;
  }

  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
    return switch (codecType) {
      case NO_COMPRESSION -> NoCompressionCodec.INSTANCE;
      case LZ4_FRAME -> new Lz4FrameCodec(maxBufferBytes, lz4BlockSize);
      case ZSTD -> new ZstdCodec(zstdLevel, maxBufferBytes);
    };
  }

  /** As {@link #createCodec(CompressionUtil.CodecType)}, the level overriding this factory's for ZSTD. */
  @Override
  public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
    return codecType == CompressionUtil.CodecType.ZSTD
        ? new ZstdCodec(compressionLevel, maxBufferBytes) : createCodec(codecType);
  }
}
