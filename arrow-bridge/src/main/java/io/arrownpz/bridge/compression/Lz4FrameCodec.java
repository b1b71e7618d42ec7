package io.arrownpz.bridge.compression;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * LZ4_FRAME for IPC buffers: one LZ4 frame per buffer, as the IPC format specifies. Arrow's base class
 * adds the length prefix, the -1 marker for buffers that do not shrink, and handles empty buffers.
 */
final class Lz4FrameCodec extends DirectCodec {
  private final long maxBufferBytes;
  private final int maxBlockSize;

  Lz4FrameCodec(long maxBufferBytes, int maxBlockSize) {
    this.maxBufferBytes = maxBufferBytes;
    this.maxBlockSize = maxBlockSize;
  }

  @Override
  protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf uncompressed) {
    return Lz4FrameEncoder.encode(allocator, uncompressed, CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, maxBlockSize);
  }

  @Override
  public long checkedLength(long declared, long compressedBytes) {
    return DeclaredLength.check("LZ4", declared, compressedBytes, Lz4Frame.MAX_RATIO, maxBufferBytes);
  }

  @Override
  public void decompressInto(ArrowBuf compressed, ArrowBuf out, long at, long length) {
    Lz4FrameDecoder.decode(compressed, CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, out, at, length);
  }

  @Override
  public CompressionUtil.CodecType getCodecType() {
    return CompressionUtil.CodecType.LZ4_FRAME;
  }
}
