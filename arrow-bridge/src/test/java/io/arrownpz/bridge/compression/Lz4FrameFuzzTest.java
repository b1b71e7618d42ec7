package io.arrownpz.bridge.compression;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.fuzz.FuzzInputs;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionUtil;

/**
 * Our LZ4 frame decoder (linked and independent blocks, checksums, content sizes) and ZSTD's path, on
 * buffers as IPC stores them: an 8-byte declared length, then the compressed bytes. A bad buffer is a
 * {@link CompressedBufferException}; the declared length is checked before the output is allocated.
 */
class Lz4FrameFuzzTest {
  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void buffer(byte[] data) throws Exception {
    FuzzInputs.timed(() -> decode(data));
  }

  private static void decode(byte[] data) {
    if (data.length < 9) {
      return;
    }
    try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
      for (DirectCodec codec : new DirectCodec[] {new Lz4FrameCodec(16 << 20, 4 << 20), new ZstdCodec(1, 16 << 20)}) {
        try (ArrowBuf in = allocator.buffer(data.length)) {
          in.setBytes(0, data);
          in.writerIndex(data.length);
          long declared = in.getLong(0);
          long length;
          try {
            length = codec.checkedLength(declared, data.length - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH);
          } catch (CompressedBufferException refused) {
            continue;
          }
          try (ArrowBuf out = allocator.buffer(Math.max(length, 1))) {
            codec.decompressInto(in, out, 0, length);
          } catch (CompressedBufferException refused) {
            // the documented answer
          }
        }
      }
    }
  }
}
