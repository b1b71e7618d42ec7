package io.arrownpz.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads through the window give the file's bytes wherever they fall: inside it, across its end, past the file's end, longer than it. */
class ReadAheadTest {
  @TempDir Path tmp;

  @Test
  void everyReadGivesTheFilesBytes() throws IOException {
    byte[] bytes = new byte[3 * ReadAhead.WINDOW + 12_345];
    new Random(5).nextBytes(bytes);
    Path file = Files.write(tmp.resolve("f"), bytes);
    Random random = new Random(9);
    try (io.arrownpz.input.InputFile input = io.arrownpz.input.InputFile.open(file);
         ReadAhead ahead = new ReadAhead(input)) {
      long position = 0;
      for (int i = 0; i < 2_000; i++) {
        // Mostly forward in small steps, as members are read; now and then a jump back, a long read or one past the end.
        int length = i % 97 == 0 ? ReadAhead.WINDOW + random.nextInt(1000) : random.nextInt(3000);
        position = i % 31 == 0 ? random.nextInt(bytes.length + 100) : (position + random.nextInt(5000)) % (bytes.length + 50);
        ByteBuffer into = random.nextBoolean() ? ByteBuffer.allocate(length) : ByteBuffer.allocateDirect(length);
        int n = ahead.read(into, position);
        int expected = (int) Math.max(0, Math.min(length, bytes.length - position));
        assertEquals(expected, n, "read of " + length + " at " + position);
        byte[] got = new byte[n];
        into.flip().get(got);
        assertArrayEquals(Arrays.copyOfRange(bytes, (int) Math.min(position, bytes.length), (int) Math.min(position, bytes.length) + n), got,
            "read of " + length + " at " + position);
      }
      ahead.close();
      assertThrows(ClosedChannelException.class, () -> ahead.read(ByteBuffer.allocate(10), 0));
    }
  }
}
