package io.arrownpz.arrow;

import org.apache.arrow.memory.util.MemoryUtil;

/**
 * NumPy's bools (a byte each) to Arrow's (a bit each, least significant first), eight at a time: a
 * column of a frame is thousands of them, and a byte-at-a-time loop was a third of a frame's open.
 * Any byte other than zero is true, as NumPy reads it.
 */
final class BoolPacking {
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;
  /**
   * Multiplying a word whose bytes are each 0 or 1 by this moves byte j's bit to bit 56 + j and nothing
   * else there (every partial product lands on a bit of its own, so nothing carries).
   */
  private static final long GATHER = 0x0102040810204080L;

  private BoolPacking() {}

  /** Packs {@code count} bytes at {@code src} into bits at {@code dst} ({@code (count + 7) / 8} bytes). */
  static void pack(long src, int count, long dst) {
    int full = count & ~7;
    for (int i = 0; i < full; i += 8) {
      long word = MemoryUtil.getLong(src + i);
      MemoryUtil.putByte(dst + (i >>> 3), packWord(MemoryUtil.LITTLE_ENDIAN ? word : Long.reverseBytes(word)));
    }
    if (full < count) {
      int b = 0;
      for (int j = 0; full + j < count; j++) {
        b |= (MemoryUtil.getByte(src + full + j) != 0 ? 1 : 0) << j;
      }
      MemoryUtil.putByte(dst + (full >>> 3), (byte) b);
    }
  }

  /** Eight bytes read little-endian (byte j at bits 8j) to one byte whose bit j says byte j is not zero. */
  static byte packWord(long word) {
    // The high bit of each byte: set when the byte is not zero (its low seven bits carry into it, or it was set).
    long nonZero = (((word & LOW_SEVEN) + LOW_SEVEN) | word) & HIGH_BITS;
    return (byte) (((nonZero >>> 7) * GATHER) >>> 56);
  }
}
