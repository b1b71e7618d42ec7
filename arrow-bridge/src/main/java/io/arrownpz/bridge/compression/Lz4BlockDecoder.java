package io.arrownpz.bridge.compression;

import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Decodes one LZ4 block (lz4_Block_format.md) whose matches may reach back before the block, into the
 * output already written: the linked blocks that Arrow C++ (pyarrow) writes by default. lz4-java's
 * decompressors take no such history, so this one is ours. Every read and write is checked against the
 * input block and the output bounds; a malformed block is an exception, never a stray access.
 */
final class Lz4BlockDecoder {
  private static final int MIN_MATCH = 4;
  /** Up to this many bytes, a word loop copies faster than a general memory copy. */
  private static final int SHORT = 32;
  /**
   * Input and output a sequence needs around it for the shortcut: a token, 16 bytes read for at most
   * 14 literals, a 2-byte offset; 16 bytes written for the literals, then 24 for a match of at most 18.
   */
  private static final int SHORTCUT_INPUT = 1 + 16 + 2;
  private static final int SHORTCUT_OUTPUT = 14 + 24;

  private Lz4BlockDecoder() {}

  /**
   * @param src address of the compressed block
   * @param srcLength its length
   * @param window the lowest output address a match may copy from (the start of the frame's output)
   * @param dst where this block's output starts
   * @param dstLimit the address output must stay below
   * @return the address after the block's output
   */
  static long decode(long src, int srcLength, long window, long dst, long dstLimit) {
    long ip = src;
    long end = src + srcLength;
    long op = dst;
    while (true) {
      if (ip >= end) {
        throw malformed("ends without a final literal run");
      }
      int token = MemoryUtil.getByte(ip) & 0xFF;
      if (token < 0xF0 && (token & 15) != 15 && end - ip >= SHORTCUT_INPUT && dstLimit - op >= SHORTCUT_OUTPUT) {
        // A short sequence far from both ends (most of them in data that compresses well): at most 14
        // literals and an 18-byte match, copied as whole words without length loops.
        long literalsAt = ip + 1;
        MemoryUtil.putLong(op, MemoryUtil.getLong(literalsAt));
        MemoryUtil.putLong(op + 8, MemoryUtil.getLong(literalsAt + 8));
        int literalCount = token >>> 4;
        long offsetAt = literalsAt + literalCount; // at most 2 bytes short of the input's end: a match follows
        op += literalCount;
        int offset = (MemoryUtil.getByte(offsetAt) & 0xFF) | (MemoryUtil.getByte(offsetAt + 1) & 0xFF) << 8;
        ip = offsetAt + 2;
        long match = op - offset;
        if (offset >= 8 && match >= window) {
          // Each word read lies at least a word behind the word written, so overlaps repeat correctly.
          MemoryUtil.putLong(op, MemoryUtil.getLong(match));
          MemoryUtil.putLong(op + 8, MemoryUtil.getLong(match + 8));
          MemoryUtil.putLong(op + 16, MemoryUtil.getLong(match + 16));
          op += (token & 15) + MIN_MATCH;
          continue;
        }
        checkMatch(offset, match, window);
        int length = (token & 15) + MIN_MATCH;
        copyMatch(match, op, length, offset, dstLimit);
        op += length;
        continue;
      }
      ip++;
      long literals = token >>> 4;
      if (literals == 15) {
        int b;
        do {
          if (ip >= end) {
            throw malformed("ends inside a literal length");
          }
          b = MemoryUtil.getByte(ip++) & 0xFF;
          literals += b;
        } while (b == 255);
      }
      if (literals > end - ip || literals > dstLimit - op) {
        throw malformed("has a literal run of " + literals + " bytes beyond its input or output");
      }
      if (literals <= SHORT && end - ip >= literals + 8 && dstLimit - op >= literals + 8) {
        wildCopy(ip, op, literals); // room on both sides for the whole words it copies
      } else {
        MemoryUtil.copyMemory(ip, op, literals);
      }
      ip += literals;
      op += literals;
      if (ip == end) {
        return op;
      }
      if (end - ip < 2) {
        throw malformed("ends inside a match offset");
      }
      int offset = (MemoryUtil.getByte(ip) & 0xFF) | (MemoryUtil.getByte(ip + 1) & 0xFF) << 8;
      ip += 2;
      long match = op - offset;
      checkMatch(offset, match, window);
      long length = token & 15;
      if (length == 15) {
        int b;
        do {
          if (ip >= end) {
            throw malformed("ends inside a match length");
          }
          b = MemoryUtil.getByte(ip++) & 0xFF;
          length += b;
        } while (b == 255);
      }
      length += MIN_MATCH;
      if (length > dstLimit - op) {
        throw malformed("has a match of " + length + " bytes beyond its output");
      }
      copyMatch(match, op, length, offset, dstLimit);
      op += length;
    }
  }

  /** A match must start inside the output written so far (and an offset of 0 is no match). */
  private static void checkMatch(int offset, long match, long window) {
    if (offset == 0 || match < window) {
      throw malformed("has a match offset of " + offset + " reaching before its output");
    }
  }

  /**
   * Copies {@code length} bytes a word at a time, writing up to 7 bytes past the end (the caller leaves
   * room; the next literal or match overwrites them). Short runs are the rule in LZ4, and a word loop
   * costs less for them than a general memory copy.
   */
  private static void wildCopy(long from, long to, long length) {
    for (long i = 0; i < length; i += 8) {
      MemoryUtil.putLong(to + i, MemoryUtil.getLong(from + i));
    }
  }

  /**
   * A match may overlap its own output (offset < length): it then repeats its last {@code offset} bytes.
   * Copied in words once the source lies at least a word behind the output: for a short offset, after
   * the first bytes (a whole number of repeats, at least 8), from that many bytes back, which holds the
   * same pattern.
   */
  private static void copyMatch(long from, long to, long length, int offset, long dstLimit) {
    boolean room = dstLimit - to >= length + 8;
    if (offset >= 8 && length <= SHORT && room) {
      wildCopy(from, to, length); // every word read lies before the word written
      return;
    }
    if (offset >= length) {
      MemoryUtil.copyMemory(from, to, length);
      return;
    }
    long distance = offset >= 8 ? offset : (long) offset * ((8 + offset - 1) / offset);
    long head = Math.min(distance, length);
    for (long i = 0; i < head; i++) {
      MemoryUtil.putByte(to + i, MemoryUtil.getByte(from + i));
    }
    long i = head;
    if (room) {
      for (; i < length; i += 8) {
        MemoryUtil.putLong(to + i, MemoryUtil.getLong(to + i - distance));
      }
      return;
    }
    for (; i + 8 <= length; i += 8) {
      MemoryUtil.putLong(to + i, MemoryUtil.getLong(to + i - distance));
    }
    for (; i < length; i++) {
      MemoryUtil.putByte(to + i, MemoryUtil.getByte(to + i - distance));
    }
  }

  private static CompressedBufferException malformed(String problem) {
    return new CompressedBufferException("LZ4 block " + problem);
  }
}
