package io.arrownpz.bridge.compression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import java.io.ByteArrayOutputStream;
import org.apache.arrow.memory.ArrowBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Matches that overlap their own output (every offset from 1 to 40, lengths from the minimum to long
 * runs), with the output ending exactly where the block does and with room to spare: the word-at-a-time
 * copies must give the bytes a byte-at-a-time copy gives, and write nothing past the limit.
 */
class Lz4BlockDecoderTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  /** A block: {@code offset} literal bytes, a match of {@code length} at that offset, one final literal. */
  private static byte[] block(byte[] literals, int offset, int length) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int lit = literals.length;
    int match = length - 4;
    b.write(Math.min(lit, 15) << 4 | Math.min(match, 15));
    for (int rest = lit - 15; rest >= 0; rest -= 255) {
      b.write(Math.min(rest, 255));
      if (rest < 255) {
        break;
      }
    }
    b.write(literals, 0, lit);
    b.write(offset & 0xFF);
    b.write(offset >>> 8);
    for (int rest = match - 15; rest >= 0; rest -= 255) {
      b.write(Math.min(rest, 255));
      if (rest < 255) {
        break;
      }
    }
    b.write(1 << 4);
    b.write('Z');
    return b.toByteArray();
  }

  private static byte[] expected(byte[] literals, int offset, int length) {
    byte[] out = new byte[literals.length + length + 1];
    System.arraycopy(literals, 0, out, 0, literals.length);
    for (int i = literals.length; i < literals.length + length; i++) {
      out[i] = out[i - offset];
    }
    out[out.length - 1] = 'Z';
    return out;
  }

  @Test
  void overlappingAndDistantMatchesGiveTheRightBytes() {
    int[] lengths = {4, 5, 7, 8, 9, 15, 16, 17, 19, 31, 32, 33, 40, 100, 300, 1000};
    for (int offset = 1; offset <= 40; offset++) {
      byte[] literals = new byte[offset + 3];
      for (int i = 0; i < literals.length; i++) {
        literals[i] = (byte) ('a' + i % 26);
      }
      for (int length : lengths) {
        byte[] in = block(literals, offset, length);
        byte[] want = expected(literals, offset, length);
        for (int spare : new int[] {0, 3, 64}) {
          try (ArrowBuf src = memory.allocator().buffer(in.length);
               ArrowBuf dst = memory.allocator().buffer(want.length + spare + 8)) {
            src.setBytes(0, in);
            dst.setBytes(0, new byte[(int) dst.capacity()]);
            long sentinel = dst.memoryAddress() + want.length + spare;
            dst.setLong(want.length + spare, 0x5A5A5A5A5A5A5A5AL);
            long end = Lz4BlockDecoder.decode(src.memoryAddress(), in.length, dst.memoryAddress(), dst.memoryAddress(),
                sentinel);
            assertEquals(want.length, end - dst.memoryAddress(), "offset " + offset + " length " + length);
            byte[] got = new byte[want.length];
            dst.getBytes(0, got);
            assertArrayEquals(want, got, "offset " + offset + " length " + length + " spare " + spare);
            assertEquals(0x5A5A5A5A5A5A5A5AL, dst.getLong(want.length + spare), "wrote past the limit");
          }
        }
      }
    }
  }

  /**
   * Blocks of thousands of short sequences (0-14 literals, matches of 4-18 bytes at offsets from 1 to
   * 70, as data that compresses well gives), decoded as a byte-at-a-time decoder would, whatever room
   * the output has after them: the whole-word shortcut must agree with the general path.
   */
  @Test
  void manyShortSequencesGiveTheRightBytes() {
    java.util.Random random = new java.util.Random(5);
    for (int trial = 0; trial < 40; trial++) {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      ByteArrayOutputStream want = new ByteArrayOutputStream();
      int sequences = 1 + random.nextInt(3000);
      for (int s = 0; s < sequences; s++) {
        int literals = want.size() == 0 ? 1 + random.nextInt(14) : random.nextInt(15);
        int length = 4 + random.nextInt(15);
        block.write(literals << 4 | (length - 4));
        for (int i = 0; i < literals; i++) {
          int b = random.nextInt(4);
          block.write(b);
          want.write(b);
        }
        int offset = 1 + random.nextInt(Math.min(70, want.size()));
        block.write(offset & 0xFF);
        block.write(offset >>> 8);
        byte[] sofar = want.toByteArray();
        for (int i = 0; i < length; i++) {
          want.write(sofar.length - offset + i < sofar.length ? sofar[sofar.length - offset + i]
              : want.toByteArray()[want.size() - offset]);
        }
      }
      block.write(1 << 4);
      block.write(9);
      want.write(9);
      byte[] in = block.toByteArray();
      byte[] expected = want.toByteArray();
      int spare = random.nextInt(3) * 20;
      try (ArrowBuf src = memory.allocator().buffer(in.length);
           ArrowBuf dst = memory.allocator().buffer(expected.length + spare + 8)) {
        src.setBytes(0, in);
        long limit = dst.memoryAddress() + expected.length + spare;
        dst.setLong(expected.length + spare, 0x5A5A5A5A5A5A5A5AL);
        long end = Lz4BlockDecoder.decode(src.memoryAddress(), in.length, dst.memoryAddress(), dst.memoryAddress(), limit);
        assertEquals(expected.length, end - dst.memoryAddress(), "trial " + trial);
        byte[] got = new byte[expected.length];
        dst.getBytes(0, got);
        assertArrayEquals(expected, got, "trial " + trial);
        assertEquals(0x5A5A5A5A5A5A5A5AL, dst.getLong(expected.length + spare), "wrote past the limit");
      }
    }
  }
}
