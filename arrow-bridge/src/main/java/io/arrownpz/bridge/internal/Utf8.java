package io.arrownpz.bridge.internal;

import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF),
 * checked in place in off-heap memory. Arrow Java's own check copies every value into a new array
 * first, which made it most of the time of reading a file of short strings.
 */
final class Utf8 {
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** What {@link #classify} finds. */
  static final int BROKEN = -1;
  static final int ASCII = 0;
  static final int NON_ASCII = 1;

  private Utf8() {}

  /** Whether a byte continues a character rather than starting one (10xxxxxx). */
  static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** Whether the {@code length} bytes at {@code address} are well-formed UTF-8. */
  static boolean isWellFormed(long address, long length) {
    return classify(address, length) != BROKEN;
  }

  /** The {@code length} bytes at {@code address}: {@link #BROKEN}, {@link #ASCII} or well-formed {@link #NON_ASCII}. */
  static int classify(long address, long length) {
    int kind = ASCII;
    long p = address;
    long end = address + length;
    while (p < end) {
      if (end - p >= 8 && (MemoryUtil.getLong(p) & HIGH_BITS) == 0) {
        p += 8; // eight ASCII bytes at once: the common case
        continue;
      }
      int lead = MemoryUtil.getByte(p) & 0xFF;
      if (lead < 0x80) {
        p++;
        continue;
      }
      int continuations;
      if (lead >= 0xC2 && lead <= 0xDF) {
        continuations = 1;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuations = 2;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuations = 3;
      } else {
        return BROKEN; // a continuation byte where a character should start, C0, C1 or F5-FF
      }
      if (end - p <= continuations) {
        return BROKEN; // cut short
      }
      int second = MemoryUtil.getByte(p + 1) & 0xFF;
      // The second byte's range is narrower after these leads: that rules out overlong forms (E0, F0),
      // surrogates (ED) and code points past U+10FFFF (F4).
      int low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
      int high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
      if (second < low || second > high) {
        return BROKEN;
      }
      for (int k = 2; k <= continuations; k++) {
        if ((MemoryUtil.getByte(p + k) & 0xC0) != 0x80) {
          return BROKEN;
        }
      }
      kind = NON_ASCII;
      p += continuations + 1;
    }
    return kind;
  }
}
