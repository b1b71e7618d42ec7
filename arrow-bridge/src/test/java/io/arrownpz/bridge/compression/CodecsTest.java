package io.arrownpz.bridge.compression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import java.util.Random;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil.CodecType;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our codecs buffer by buffer: round trips, Arrow Java's own codecs agreeing, and hostile buffers. */
class CodecsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  private BufferAllocator allocator() {
    return memory.allocator();
  }

  /** Text-like, zeros, random (incompressible) and mixed data, from empty to many LZ4 blocks. */
  private ArrowBuf data(int length, int kind, long seed) {
    ArrowBuf buf = allocator().buffer(Math.max(length, 1));
    Random random = new Random(seed);
    for (int i = 0; i < length; i++) {
      int b = switch (kind) {
        case 0 -> "the quick brown fox jumps over the lazy dog ".charAt((i * 7 + i / 1000) % 44);
        case 1 -> 0;
        case 2 -> random.nextInt(256);
        default -> i % 5000 < 2500 ? random.nextInt(4) : i & 0xFF;
      };
      buf.setByte(i, b);
    }
    buf.writerIndex(length);
    return buf;
  }

  private static byte[] bytes(ArrowBuf buf) {
    byte[] out = new byte[(int) buf.writerIndex()];
    buf.getBytes(0, out);
    return out;
  }

  @ParameterizedTest
  @EnumSource(value = CodecType.class, names = {"LZ4_FRAME", "ZSTD"})
  void roundTripsAndArrowJavasOwnCodecAgrees(CodecType type) {
    CompressionCodec ours = FastCompressionFactory.INSTANCE.createCodec(type);
    CompressionCodec arrows = CommonsCompressionFactory.INSTANCE.createCodec(type);
    for (int length : new int[] {0, 1, 100, 65_536, 65_537, 131_073, 300_000, 5_000_000}) {
      for (int kind = 0; kind < 4; kind++) {
        try (ArrowBuf original = data(length, kind, length + kind)) {
          byte[] expected = bytes(original);
          original.getReferenceManager().retain();
          try (ArrowBuf compressed = ours.compress(allocator(), original)) {
            compressed.getReferenceManager().retain();
            compressed.getReferenceManager().retain();
            try (ArrowBuf back = ours.decompress(allocator(), compressed);
                 ArrowBuf theirs = arrows.decompress(allocator(), compressed)) {
              assertEquals(java.util.Arrays.hashCode(expected), java.util.Arrays.hashCode(bytes(back)),
                  type + " " + length + " kind " + kind);
              assertTrue(java.util.Arrays.equals(expected, bytes(theirs)), "Arrow's codec reads ours");
            }
            if (kind == 1 && length > 100) {
              assertTrue(compressed.writerIndex() < length / 50, "zeros compress");
            }
          }
          if (length > 0 && length < 200_000) {
            // and ours reads Arrow Java's (commons-compress writes dependent LZ4 blocks too)
            original.getReferenceManager().retain();
            ArrowBuf compressed = arrows.compress(allocator(), original);
            try (ArrowBuf back = ours.decompress(allocator(), compressed)) {
              assertTrue(java.util.Arrays.equals(expected, bytes(back)));
            }
          }
        }
      }
    }
  }

  @Test
  void noCompressionIsAnsweredToo() {
    assertEquals(NoCompressionCodec.INSTANCE, FastCompressionFactory.INSTANCE.createCodec(CodecType.NO_COMPRESSION));
    assertEquals(CodecType.ZSTD, FastCompressionFactory.INSTANCE.createCodec(CodecType.ZSTD, 9).getCodecType());
  }

  /** A frame of two linked blocks: the second block's match copies from the first block's output. */
  @Test
  void linkedBlocksMayReachIntoEarlierBlocks() {
    int[] frame = {
        0x04, 0x22, 0x4D, 0x18, // magic
        0x40, 0x40, 0, // FLG: version 01, linked blocks, no checksums; BD 64 KiB; header checksum below
        9, 0, 0, 0, 0x80, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', // 8 literals
        5, 0, 0, 0, 0x00, 8, 0, 0x10, 'z', // a 4-byte match 8 back, then the literal "z"
        0, 0, 0, 0};
    Lz4FrameCodec codec = new Lz4FrameCodec(1 << 20, 4 << 20);
    try (ArrowBuf out = codec.decompress(allocator(), frame(frame, 13))) { // takes over the frame buffer
      assertEquals("abcdefghabcdz", new String(bytes(out), java.nio.charset.StandardCharsets.US_ASCII));
    }
  }

  private ArrowBuf frame(int[] frame, long declared) {
    ArrowBuf buffer = allocator().buffer(8 + frame.length);
    buffer.setLong(0, declared);
    for (int i = 0; i < frame.length; i++) {
      buffer.setByte(8 + i, frame[i]);
    }
    buffer.setByte(8 + 6, Lz4Frame.headerChecksum(buffer, 8 + 4, 2));
    buffer.writerIndex(8 + frame.length);
    return buffer;
  }

  @Test
  void hostileBuffersFailClearlyWithoutAllocatingWhatTheyClaim() {
    Lz4FrameCodec lz4 = new Lz4FrameCodec(FastCompressionFactory.DEFAULT_MAX_BUFFER_BYTES, 4 << 20);
    int[] reachesBack = {0x04, 0x22, 0x4D, 0x18, 0x40, 0x40, 0, 5, 0, 0, 0, 0x00, 8, 0, 0x10, 'z', 0, 0, 0, 0};
    assertProblem(lz4, reachesBack, 5, "reaching before its output");
    int[] truncated = {0x04, 0x22, 0x4D, 0x18, 0x40, 0x40, 0, 9, 0, 0, 0, 0x80, 'a'};
    assertProblem(lz4, truncated, 8, "truncated");
    int[] ok = {0x04, 0x22, 0x4D, 0x18, 0x40, 0x40, 0, 2, 0, 0, 0, 0x10, 'a', 0, 0, 0, 0};
    assertProblem(lz4, ok, 5, "declares 5");
    assertProblem(lz4, ok, 1L << 40, "more than");
    assertProblem(lz4, ok, 1L << 30, "more than LZ4 can expand to");
    int[] badMagic = {0x05, 0x22, 0x4D, 0x18, 0x40, 0x40, 0, 0, 0, 0, 0};
    assertProblem(lz4, badMagic, 4, "magic");
    ZstdCodec zstd = new ZstdCodec(1, 1 << 20);
    assertProblem(zstd, ok, 1 << 21, "more than the 1048576");
    assertProblem(zstd, ok, 100, "ZSTD buffer cannot be decompressed");
  }

  /** Decompressing the frame fails naming the problem, and whatever it allocated is released. */
  private void assertProblem(CompressionCodec codec, int[] frame, long declared, String problem) {
    try (ArrowBuf buffer = frame(frame, declared)) {
      long before = allocator().getAllocatedMemory();
      buffer.getReferenceManager().retain(); // the codec releases its input only when it succeeds
      CompressedBufferException e = assertThrows(CompressedBufferException.class,
          () -> codec.decompress(allocator(), buffer));
      buffer.close();
      assertTrue(e.getMessage().contains(problem), e.getMessage());
      assertEquals(before, allocator().getAllocatedMemory(), "the failed output was released");
    }
  }

  /** A declared length past what the codec can expand its bytes to is refused before any allocation. */
  @Test
  void declaredLengthsAreBoundedByWhatTheCodecCanExpandTo() {
    ZstdCodec zstd = new ZstdCodec(1, FastCompressionFactory.DEFAULT_MAX_BUFFER_BYTES);
    CompressedBufferException e = assertThrows(CompressedBufferException.class, () -> zstd.checkedLength(8L << 30, 3700));
    assertTrue(e.getMessage().contains("more than ZSTD can expand to"), e.getMessage());
    assertEquals(128L << 20, zstd.checkedLength(128L << 20, 4200), "an all-zero 128 MiB buffer takes ~4 KB");
    // The bound is real: zstd itself turns 4 KB into that much.
    byte[] zeros = new byte[128 << 20];
    byte[] packed = com.github.luben.zstd.Zstd.compress(zeros, 19);
    assertTrue(packed.length * ZstdCodec.MAX_RATIO >= zeros.length, "zstd expanded past the bound: " + packed.length);
  }
}
