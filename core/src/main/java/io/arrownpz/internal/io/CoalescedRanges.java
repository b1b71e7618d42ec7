package io.arrownpz.internal.io;

import io.arrownpz.input.InputFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Byte ranges of a file on another file system that a read is about to take, fetched before it in as few
 * reads as their gaps allow, as Arrow C++'s read coalescing does for Parquet: two ranges closer than
 * {@value #MAX_GAP} bytes are read as one, the gap included, because reading that gap costs less than the
 * round trip of a second read (about 0.75 ms to a local HDFS data node, where 512 KiB move in about as long).
 * A read wholly inside a fetched range is served from it; any other read is not served here.
 *
 * <p>Immutable once fetched, so several threads may read it. What it holds is bounded by the caller's
 * ranges (at most {@value #MAX_HELD} bytes in all: past that, the ranges are read as they are asked for).
 */
public final class CoalescedRanges {
  static final int MAX_GAP = 512 << 10;
  /** The most bytes one read takes. */
  static final int MAX_READ = 32 << 20;
  /** The most bytes held, gaps included. */
  public static final long MAX_HELD = 64L << 20;

  public static final CoalescedRanges NONE = new CoalescedRanges(new long[0], new byte[0][]);

  private final long[] starts;
  private final byte[][] bytes;

  private CoalescedRanges(long[] starts, byte[][] bytes) {
    this.starts = starts;
    this.bytes = bytes;
  }

  /**
   * Reads {@code ranges} (pairs of start and end offsets, in any order, within the file) merged where their
   * gaps allow; {@link #NONE} when together they exceed {@link #MAX_HELD}.
   */
  public static CoalescedRanges fetch(InputFile file, List<long[]> ranges) throws IOException {
    List<long[]> merged = merge(ranges);
    long held = merged.stream().mapToLong(r -> r[1] - r[0]).sum();
    if (held > MAX_HELD || merged.isEmpty()) {
      return NONE;
    }
    long[] starts = new long[merged.size()];
    byte[][] bytes = new byte[merged.size()][];
    for (int i = 0; i < merged.size(); i++) {
      long[] range = merged.get(i);
      byte[] into = new byte[(int) (range[1] - range[0])];
      int n = file.read(ByteBuffer.wrap(into), range[0]);
      starts[i] = range[0];
      bytes[i] = n == into.length ? into : Arrays.copyOf(into, Math.max(0, n));
    }
    return new CoalescedRanges(starts, bytes);
  }

  /** The ranges sorted and merged across gaps under {@link #MAX_GAP}, none longer than {@link #MAX_READ}. */
  static List<long[]> merge(List<long[]> ranges) {
    List<long[]> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(r -> r[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] range : sorted) {
      if (range[1] <= range[0]) {
        continue;
      }
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && range[0] - last[1] < MAX_GAP && Math.max(last[1], range[1]) - last[0] <= MAX_READ) {
        last[1] = Math.max(last[1], range[1]);
      } else {
        merged.add(new long[] {range[0], range[1]});
      }
    }
    return merged;
  }

  /**
   * Serves a read of {@code into.remaining()} bytes from {@code position} when a fetched range holds all of
   * them: true, and {@code into} is filled; false, and {@code into} is untouched, otherwise.
   */
  public boolean read(ByteBuffer into, long position) {
    int i = Arrays.binarySearch(starts, position);
    if (i < 0) {
      i = -i - 2; // the range starting before position
    }
    if (i < 0) {
      return false;
    }
    long offset = position - starts[i];
    int wanted = into.remaining();
    if (offset + wanted > bytes[i].length) {
      return false;
    }
    into.put(into.position(), bytes[i], (int) offset, wanted);
    into.position(into.position() + wanted);
    return true;
  }

  /** The bytes held. */
  public long held() {
    long n = 0;
    for (byte[] b : bytes) {
      n += b.length;
    }
    return n;
  }
}
