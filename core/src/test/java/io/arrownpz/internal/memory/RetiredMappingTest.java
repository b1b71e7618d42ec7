package io.arrownpz.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.arrow.memory.util.MemoryUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A released native mapping stays readable (zeros) and its address range is reused, not grown. */
class RetiredMappingTest {
  @TempDir Path tmp;

  @Test
  void aReleasedMappingReadsZerosInsteadOfFaulting() throws IOException {
    assertTrue(NativeMapper.AVAILABLE, "mmap through JNA on this platform");
    Path file = tmp.resolve("sevens.bin");
    byte[] sevens = new byte[200_000];
    java.util.Arrays.fill(sevens, (byte) 7);
    Files.write(file, sevens);
    Mapping m = NativeMapper.map(file, 100, 150_000);
    assertEquals(7, MemoryUtil.getByte(m.address() + 149_999));
    m.release();
    // What a JIT-compiled loop holding the old address would do after the close:
    assertEquals(0, MemoryUtil.getByte(m.address()));
    assertEquals(0, MemoryUtil.getByte(m.address() + 149_999));
  }

  @Test
  void releasedRangesAreReusedSoAddressSpaceStaysBounded() throws IOException {
    Path file = tmp.resolve("page.bin");
    Files.write(file, new byte[300_000]);
    Set<Long> addresses = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      try (MappedRegion region = MappedRegion.map(file, i % 7, 100_000 + (i % 3) * 50_000)) {
        addresses.add(region.address() - i % 7);
      }
    }
    assertTrue(addresses.size() <= 3, "2,000 mappings in turn took " + addresses.size() + " address ranges");
  }

  @Test
  void reservedRangesMergeAndSplit() {
    ReservedRanges ranges = new ReservedRanges();
    assertEquals(0, ranges.take(10));
    ranges.give(100, 10);
    ranges.give(120, 10);
    ranges.give(110, 10); // joins both neighbours into [100, 130)
    assertEquals(30, ranges.reservedBytes());
    assertEquals(0, ranges.take(31));
    assertEquals(100, ranges.take(12));
    assertEquals(112, ranges.take(18));
    assertEquals(0, ranges.reservedBytes());
    ranges.give(500, 40);
    ranges.give(200, 20);
    assertEquals(200, ranges.take(20), "the smallest range that fits");
  }
}
