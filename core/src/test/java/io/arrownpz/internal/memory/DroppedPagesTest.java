package io.arrownpz.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.ProcessMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.util.MemoryUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropping a mapping's resident pages gives the memory back and loses nothing: a file mapping reads its
 * pages from the file again, and a copy-on-write mapping keeps what was written into it.
 */
class DroppedPagesTest {
  private static final int LONGS = 8 << 20; // 64 MiB

  @TempDir Path tmp;

  @Test
  void droppedPagesLeaveTheProcessAndAreReadFromTheFileAgain() throws IOException {
    assertTrue(NativeMapper.AVAILABLE, "mmap through JNA on this platform");
    Path file = tmp.resolve("counting.bin");
    writeCounting(file);
    try (MappedRegion region = MappedRegion.mapFile(file)) {
      long expected = (long) LONGS * (LONGS - 1) / 2;
      assertEquals(expected, sum(region));
      long before = ProcessMemory.residentMappedKiB();
      region.dropResidentPages(0, region.length());
      long after = ProcessMemory.residentMappedKiB();
      assertTrue(before - after >= 32 << 10, "resident file pages went from " + before + " KiB to " + after + " KiB");
      assertEquals(expected, sum(region), "the values, read from the file again");
      // A range that is not page-aligned at either end: the pages it covers in part are kept.
      region.dropResidentPages(12_345, 1_000_000);
      assertEquals(expected, sum(region));
    }
  }

  @Test
  void aCopyOnWriteMappingKeepsWhatWasWrittenIntoIt() throws IOException {
    Path file = tmp.resolve("zeros.bin");
    Files.write(file, new byte[1 << 20]);
    int descriptor = NativeMapper.openForMapping(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
         MappedRegion region = MappedRegion.mapPrivate(channel, descriptor, "zeros", 0, 1 << 20)) {
      for (long at = 0; at < region.length(); at += 4096) {
        MemoryUtil.putLong(region.address() + at, at + 1);
      }
      region.dropResidentPages(0, region.length());
      for (long at = 0; at < region.length(); at += 4096) {
        assertEquals(at + 1, MemoryUtil.getLong(region.address() + at));
      }
    } finally {
      NativeMapper.closeDescriptor(descriptor);
    }
    assertEquals(0, Files.readAllBytes(file)[0], "the file itself is untouched");
  }

  private static void writeCounting(Path file) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long i = 0; i < LONGS; ) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          chunk.putLong(i++);
        }
        chunk.flip();
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
    }
  }

  private static long sum(MappedRegion region) {
    long total = 0;
    for (long at = 0; at < region.length(); at += 8) {
      total += MemoryUtil.getLong(region.address() + at);
    }
    return total;
  }
}
