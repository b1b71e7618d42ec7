package io.arrownpz.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.RemoteFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SequentialReadAhead}: every read gives the file's bytes; a run of reads member after member takes
 * a few large reads of the file; reads far apart read exactly their ranges.
 */
class SequentialReadAheadTest {
  @TempDir Path tmp;

  private Path file(int size) throws IOException {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return Files.write(tmp.resolve("f"), bytes);
  }

  @Test
  void everyReadGivesTheFilesBytes() throws IOException {
    Path path = file(3 << 20);
    byte[] bytes = Files.readAllBytes(path);
    Random random = new Random(11);
    try (RemoteFile remote = RemoteFile.open(path); SequentialReadAhead reads = new SequentialReadAhead(remote)) {
      long position = 0;
      for (int i = 0; i < 3_000; i++) {
        int length = i % 101 == 0 ? random.nextInt(1 << 20) : random.nextInt(5000);
        position = i % 37 == 0 ? random.nextInt(bytes.length + 100)
            : (position + random.nextInt(i % 2 == 0 ? 3000 : 200_000)) % (bytes.length + 50);
        ByteBuffer into = ByteBuffer.allocate(length);
        int n = reads.read(into, position);
        int expected = (int) Math.max(0, Math.min(length, bytes.length - position));
        assertEquals(expected, n, "read of " + length + " at " + position);
        assertArrayEquals(Arrays.copyOfRange(bytes, (int) Math.min(position, bytes.length),
            (int) Math.min(position, bytes.length) + n), Arrays.copyOf(into.array(), n));
      }
    }
  }

  @Test
  void aRunOfMembersTakesAFewReads() throws IOException {
    Path path = file(4 << 20);
    try (RemoteFile remote = RemoteFile.open(path); SequentialReadAhead reads = new SequentialReadAhead(remote)) {
      int calls = 0;
      for (long at = 0; at < (4 << 20) - 40_000; at += 40_100) { // a 100-byte local header, then 40,000 bytes
        reads.read(ByteBuffer.allocate(100), at);
        reads.read(ByteBuffer.allocate(40_000), at + 100);
        calls += 2;
      }
      long fileReads = remote.reads();
      assertTrue(fileReads <= 16, fileReads + " reads of the file for " + calls + " reads of members");
    }
  }

  @Test
  void readsFarApartReadExactlyTheirRanges() throws IOException {
    Path path = file(16 << 20);
    try (RemoteFile remote = RemoteFile.open(path); SequentialReadAhead reads = new SequentialReadAhead(remote)) {
      long asked = 0;
      for (long at = 0; at + 300 < (16 << 20); at += 400_000) { // a header per member, 400 KB apart
        reads.read(ByteBuffer.allocate(300), at);
        asked += 300;
      }
      assertEquals(asked, remote.bytesRead());
    }
  }
}
