package io.arrownpz.arrow;

import io.arrownpz.internal.memory.Transpose;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;

/** Byte-level rearrangements that turn NumPy layouts Arrow cannot view into ones it can. */
final class Layouts {
  private Layouts() {}

  /**
   * Reverses the bytes of every {@code unit}-byte number in {@code bytes} bytes starting at {@code src},
   * into a new buffer. Used for big-endian arrays (complex numbers swap each half separately).
   */
  static ArrowBuf byteSwapped(long src, long bytes, int unit, BufferAllocator allocator) {
    ArrowBuf out = allocator.buffer(bytes);
    long dst = out.memoryAddress();
    switch (unit) {
      case 1 -> MemoryUtil.copyMemory(src, dst, bytes);
      case 2 -> {
        for (long i = 0; i < bytes; i += 2) {
          MemoryUtil.putShort(dst + i, Short.reverseBytes(MemoryUtil.getShort(src + i)));
        }
      }
      case 4 -> {
        for (long i = 0; i < bytes; i += 4) {
          MemoryUtil.putInt(dst + i, Integer.reverseBytes(MemoryUtil.getInt(src + i)));
        }
      }
      case 8 -> {
        for (long i = 0; i < bytes; i += 8) {
          MemoryUtil.putLong(dst + i, Long.reverseBytes(MemoryUtil.getLong(src + i)));
        }
      }
      default -> throw new IllegalArgumentException("cannot swap " + unit + "-byte numbers");
    }
    return out;
  }

  /**
   * Copies a column-major (Fortran) array of the given shape into row-major (C) order. Walks the output
   * in order with an odometer over the source strides, so each output byte is written once.
   */
  static ArrowBuf fortranToC(long src, long[] shape, int itemSize, BufferAllocator allocator) {
    int rank = shape.length;
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    ArrowBuf out = allocator.buffer(count * itemSize);
    if (count == 0) {
      return out;
    }
    // Stride in the Fortran source of a step along each axis, in elements.
    long[] fStride = new long[rank];
    long s = 1;
    for (int axis = 0; axis < rank; axis++) {
      fStride[axis] = s;
      s *= shape[axis];
    }
    long[] index = new long[rank];
    long dst = out.memoryAddress();
    long srcElement = 0;
    long innerLen = shape[rank - 1];
    long innerStride = fStride[rank - 1] * itemSize;
    for (long written = 0; written < count; written += innerLen) {
      // The last C axis is the fastest in the output; in the source it is the slowest (largest stride).
      long from = src + srcElement * itemSize;
      Transpose.copyStrided(from, innerStride, dst, innerLen, itemSize);
      dst += innerLen * itemSize;
      for (int axis = rank - 2; axis >= 0; axis--) {
        index[axis]++;
        srcElement += fStride[axis];
        if (index[axis] < shape[axis]) {
          break;
        }
        srcElement -= fStride[axis] * shape[axis];
        index[axis] = 0;
      }
    }
    return out;
  }
}
