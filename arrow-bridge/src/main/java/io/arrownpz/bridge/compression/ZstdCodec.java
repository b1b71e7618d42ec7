package io.arrownpz.bridge.compression;

import com.github.luben.zstd.Zstd;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * ZSTD for IPC buffers through zstd-jni, reading and writing Arrow's off-heap memory by address: no
 * byte arrays and no 2 GiB ByteBuffer limit. Arrow's base class frames the result (length prefix, the -1
 * marker when compression does not pay, empty buffers).
 */
final class ZstdCodec extends AbstractCompressionCodec {
  /** Arrow C++ (pyarrow) compresses IPC buffers at ZSTD level 1 unless told otherwise. */
  static final int DEFAULT_LEVEL = 1;

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
    long written = Zstd.compressUnsafe(out.memoryAddress() + prefix, bound, uncompressed.memoryAddress(), length, level);
    if (Zstd.isError(written)) {
      out.close();
      throw new IllegalStateException("ZSTD compression failed: " + Zstd.getErrorName(written));
    }
    out.writerIndex(prefix + written);
    return out;
  }

  @Override
  protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
    long prefix = CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
    long input = compressed.writerIndex() - prefix;
    long declared = DeclaredLength.check("ZSTD", readUncompressedLength(compressed), input, 0, maxBufferBytes);
    ArrowBuf out = allocator.buffer(declared);
    long read = Zstd.decompressUnsafe(out.memoryAddress(), declared, compressed.memoryAddress() + prefix, input);
    if (Zstd.isError(read) || read != declared) {
      out.close();
      throw new CompressedBufferException(Zstd.isError(read)
          ? "ZSTD buffer cannot be decompressed: " + Zstd.getErrorName(read)
          : "ZSTD buffer holds " + read + " bytes, but declares " + declared);
    }
    out.writerIndex(declared);
    return out;
  }

  @Override
  public CompressionUtil.CodecType getCodecType() {
    return CompressionUtil.CodecType.ZSTD;
  }
}
