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
  void aMappingInAReusedRangeAgreesWithItsFileOffsetModuloAHugePage() throws Exception {
    long huge = 2L << 20;
    Path first = tmp.resolve("first.bin");
    Files.write(first, new byte[6 << 20]);
    // Mapped from 64 KiB in: its range starts where no 4 MiB mapping of a file's start would be put.
    Mapping m = NativeMapper.map(first, 0x10000, (6 << 20) - 0x10000);
    m.release();
    assertTrue(Retirements.SHARED.awaitIdle(10_000), "the range retired and reserved");
    Path second = tmp.resolve("second.bin");
    Files.write(second, new byte[4 << 20]);
    Mapping n = NativeMapper.map(second, 0, 4 << 20);
    try {
      assertEquals(0, n.address() % huge, "a file's start at a huge page's: " + Long.toHexString(n.address()));
    } finally {
      n.release();
    }
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

  @Test
  void aReusedRangeCanAgreeWithAFileOffsetModuloAHugePage() {
    long huge = 2L << 20;
    ReservedRanges ranges = new ReservedRanges();
    ranges.give(10 * huge + 0x30000, 3 * huge); // starts 192 KiB past a huge page
    assertEquals(0, ranges.take(3 * huge, huge, 0), "no aligned base leaves room for the span");
    long base = ranges.take(huge, huge, 0x10000);
    assertEquals(11 * huge + 0x10000, base, "the first base 64 KiB past a huge page");
    assertEquals(2 * huge, ranges.reservedBytes(), "what lies before and after stays reserved");
    assertEquals(10 * huge + 0x30000, ranges.take(huge - 0x20000), "the part before, reused");
    assertEquals(12 * huge + 0x10000, ranges.take(huge + 0x20000), "the part after, reused");
    assertEquals(0, ranges.reservedBytes());
  }

  /**
   * Thousands of gives and takes, aligned and not, over many ranges at once, against a model of which pages
   * are reserved: a range handed out is always wholly reserved before, and nothing else changes. (Reading a
   * TreeMap entry after removing its key once handed out ranges the process did not hold.)
   */
  @Test
  void reservedRangesHandOutOnlyWhatWasGivenUnderManyRanges() {
    long page = 0x1000;
    long huge = 32 * page;
    int pages = 4096;
    boolean[] reserved = new boolean[pages + 1];
    ReservedRanges ranges = new ReservedRanges();
    java.util.List<long[]> out = new java.util.ArrayList<>();
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    for (long at = 1; at + 40 < pages; at += 40) { // disjoint ranges, a page apart: none merge
      long length = 1 + random.nextInt(38);
      ranges.give(at * page, length * page);
      for (long p = at; p < at + length; p++) {
        reserved[(int) p] = true;
      }
    }
    for (int step = 0; step < 20_000; step++) {
      if (!out.isEmpty() && random.nextInt(3) == 0) {
        long[] back = out.remove(random.nextInt(out.size()));
        ranges.give(back[0], back[1]);
        for (long p = back[0] / page; p < (back[0] + back[1]) / page; p++) {
          reserved[(int) p] = true;
        }
        continue;
      }
      long span = (1 + random.nextInt(48)) * page;
      boolean aligned = random.nextBoolean();
      long phase = random.nextInt(32) * page;
      long base = aligned ? ranges.take(span, huge, phase) : ranges.take(span);
      if (base == 0) {
        continue;
      }
      if (aligned) {
        assertEquals(phase, base % huge, "aligned as asked");
      }
      for (long p = base / page; p < (base + span) / page; p++) {
        assertTrue(reserved[(int) p], "step " + step + ": page " + p + " handed out but not reserved");
        reserved[(int) p] = false;
      }
      out.add(new long[] {base, span});
      long count = 0;
      for (boolean r : reserved) {
        count += r ? 1 : 0;
      }
      assertEquals(count * page, ranges.reservedBytes(), "step " + step);
    }
  }
}
