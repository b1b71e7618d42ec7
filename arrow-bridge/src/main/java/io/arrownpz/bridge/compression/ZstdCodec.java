package io.arrownpz.bridge.compression;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * ZSTD for IPC buffers through zstd-jni, reading and writing Arrow's off-heap memory by address: no
 * byte arrays and no 2 GiB ByteBuffer limit. Arrow's base class frames the result (length prefix, the -1
 * marker when compression does not pay, empty buffers).
 */
final class ZstdCodec extends DirectCodec {
  private final int level;
  private final long maxBufferBytes;

  ZstdCodec(int level, long maxBufferBytes) {
    this.level = level;
    this.maxBufferBytes = maxBufferBytes;
  }

  @Override
  protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
    long length = uncompressed.writerIndex();
    long bound = Zstd.compressBound(length);
    long prefix = CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
    ArrowBuf out = allocator.buffer(prefix + bound);
    long written;
    if (bound <= Integer.MAX_VALUE) {
      try {
        ZstdCompressCtx context = CONTEXTS.get().setLevel(level);
        written = context.compressDirectByteBuffer(out.nioBuffer(prefix, (int) bound), 0, (int) bound,
            uncompressed.nioBuffer(0, (int) length), 0, (int) length);
      } catch (ZstdException e) {
        out.close();
        throw new IllegalStateException("ZSTD compression failed: " + e.getMessage(), e);
      }
    } else {
      written = Zstd.compressUnsafe(out.memoryAddress() + prefix, bound, uncompressed.memoryAddress(), length, level);
      if (Zstd.isError(written)) {
        out.close();
        throw new IllegalStateException("ZSTD compression failed: " + Zstd.getErrorName(written));
      }
    }
    out.writerIndex(prefix + written);
    return out;
  }

  /**
   * A compression context per thread, kept: zstd's one-shot call makes and frees one per buffer, and
   * for the many short buffers of a table that was most of the time. (A ByteBuffer reaches 2 GiB at most;
   * larger buffers take the one-shot call.)
   */
  private static final ThreadLocal<ZstdCompressCtx> CONTEXTS = ThreadLocal.withInitial(ZstdCompressCtx::new);

  /**
   * The most ZSTD expands data: an RLE block, 3 header bytes and 1 byte of content, stands for a whole
   * block of at most 128 KiB.
   */
  static final long MAX_RATIO = (128 << 10) / 4;

  @Override
  public long checkedLength(long declared, long compressedBytes) {
    return DeclaredLength.check("ZSTD", declared, compressedBytes, MAX_RATIO, maxBufferBytes);
  }

  @Override
  public void decompressInto(ArrowBuf compressed, ArrowBuf out, long at, long length) {
    long prefix = CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
    long read = Zstd.decompressUnsafe(out.memoryAddress() + at, length, compressed.memoryAddress() + prefix,
        compressed.writerIndex() - prefix);
    if (Zstd.isError(read) || read != length) {
      throw new CompressedBufferException(Zstd.isError(read)
          ? "ZSTD buffer cannot be decompressed: " + Zstd.getErrorName(read)
          : "ZSTD buffer holds " + read + " bytes, but declares " + length);
    }
  }

  @Override
  public CompressionUtil.CodecType getCodecType() {
    return CompressionUtil.CodecType.ZSTD;
  }
}
