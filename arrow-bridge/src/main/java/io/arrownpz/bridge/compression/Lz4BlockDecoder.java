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
      int token = MemoryUtil.getByte(ip++) & 0xFF;
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
      MemoryUtil.copyMemory(ip, op, literals);
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
      if (offset == 0 || match < window) {
        throw malformed("has a match offset of " + offset + " reaching before its output");
      }
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
      copyMatch(match, op, length, offset);
      op += length;
    }
  }

  /** A match may overlap its own output (offset < length): it then repeats the last offset bytes. */
  private static void copyMatch(long from, long to, long length, int offset) {
    if (offset >= length) {
      MemoryUtil.copyMemory(from, to, length);
      return;
    }
    if (offset >= 8) {
      long i = 0;
      for (; i + 8 <= length; i += 8) {
        MemoryUtil.putLong(to + i, MemoryUtil.getLong(from + i));
      }
      for (; i < length; i++) {
        MemoryUtil.putByte(to + i, MemoryUtil.getByte(from + i));
      }
      return;
    }
    for (long i = 0; i < length; i++) {
      MemoryUtil.putByte(to + i, MemoryUtil.getByte(from + i));
    }
  }

  private static CompressedBufferException malformed(String problem) {
    return new CompressedBufferException("LZ4 block " + problem);
  }
}
