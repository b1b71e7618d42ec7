package io.arrownpz.zip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gathered positional writes give the file the bytes plain positional writes would: runs of small
 * writes, jumps, writes larger than the buffer, and patches inside the gathered run, straddling its
 * start, and in bytes already written out.
 */
class PositionalWritesTest {
  @TempDir Path tmp;

  @Test
  void theFileHoldsWhatPlainWritesWouldGiveIt() throws IOException {
    Random random = new Random(3);
    byte[] expected = new byte[6 << 20];
    Path file = tmp.resolve("out.bin");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      PositionalWrites out = new PositionalWrites(channel);
      long at = 0;
      int end = 0;
      for (int step = 0; step < 3000 && at < expected.length - (2 << 20); step++) {
        int kind = random.nextInt(20);
        if (kind == 0 && at > 0) {
          // a patch somewhere in what was written so far: maybe gathered, maybe on disk, maybe both
          int length = 1 + random.nextInt(8);
          long where = Math.max(0, at - 1 - random.nextInt((int) Math.min(at, 3 << 20)));
          length = (int) Math.min(length, at - where);
          byte[] patch = bytes(random, length);
          System.arraycopy(patch, 0, expected, (int) where, length);
          out.patch(ByteBuffer.wrap(patch), where);
          continue;
        }
        if (kind == 1) {
          at += random.nextInt(100); // a jump: a gap the file keeps as zeros
        }
        int length = kind == 2 ? (1 << 20) + random.nextInt(1 << 20) : random.nextInt(3000);
        byte[] piece = bytes(random, length);
        System.arraycopy(piece, 0, expected, (int) at, length);
        ByteBuffer src = random.nextBoolean() ? ByteBuffer.wrap(piece)
            : ByteBuffer.allocateDirect(length).put(piece).flip();
        out.write(src, at);
        at += length;
        end = (int) at;
      }
      out.flush();
      out.release();
      byte[] got = Files.readAllBytes(file);
      assertArrayEquals(java.util.Arrays.copyOf(expected, end), got);
    }
  }

  private static byte[] bytes(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }
}
