package io.arrownpz.cli;

import java.util.Locale;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Touches memory once before anything is timed, and says how fast its first and second touch ran. On a
 * virtual machine whose host backs a guest's pages only when first touched (this one: about 100-250 MB/s),
 * a benchmark that fills fresh memory would time the host, not the program; after the touch, memory the
 * process frees and takes again is fast for every contender alike.
 */
public final class MemoryTouch {
  private MemoryTouch() {}

  /** The size of each piece touched: under glibc's largest mmap threshold, so that a process told to keep what
   * it frees (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_) keeps these pages for its later allocations. */
  private static final long PIECE = 16 << 20;

  /**
   * Touches {@code bytes} of new memory a page at a time in 16 MiB pieces, twice, and frees it; says how
   * fast both touches ran.
   */
  public static String touch(long bytes) {
    long[] pieces = new long[(int) Math.max(1, bytes / PIECE)];
    for (int p = 0; p < pieces.length; p++) {
      pieces[p] = MemoryUtil.allocateMemory(PIECE);
    }
    try {
      double[] rates = new double[2];
      for (int pass = 0; pass < 2; pass++) {
        long start = System.nanoTime();
        for (long address : pieces) {
          for (long i = 0; i < PIECE; i += 4096) {
            MemoryUtil.putByte(address + i, (byte) pass);
          }
        }
        rates[pass] = pieces.length * PIECE / 1e6 / ((System.nanoTime() - start) / 1e9);
      }
      return String.format(Locale.ROOT, "memory touched first: %d MiB, first touch %.0f MB/s, again %.0f MB/s",
          pieces.length * PIECE >> 20, rates[0], rates[1]);
    } finally {
      for (long address : pieces) {
        MemoryUtil.freeMemory(address);
      }
    }
  }
}
