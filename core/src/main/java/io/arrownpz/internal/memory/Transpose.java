package io.arrownpz.internal.memory;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Row-major to column-major copies of 2-d arrays, in tiles: each tile's source rows stay in the L1
 * cache while its columns are written out in order, so a wide block costs one pass over memory instead
 * of one cache miss per element. Tiles are taller than wide: every column of a tile is written as one
 * run of {@value #ROW_TILE} items, and longer runs keep the writes streaming (an 8 MB block of 10,000 x
 * 100 doubles: 2.2 ms in 32 x 32 tiles, 0.9-1.5 ms in 128 x 32, on this machine).
 */
public final class Transpose {
  private static final int ROW_TILE = 128;
  private static final int COLUMN_TILE = 32;

  private Transpose() {}

  /** Copies a C-order {@code rows x cols} array at {@code src} into a new Fortran-order buffer. */
  public static ArrowBuf cToFortran(long src, long rows, long cols, int itemSize, BufferAllocator allocator) {
    long bytes = rows * cols * itemSize;
    ArrowBuf out = allocator.buffer(Math.max(bytes, 1));
    long dst = out.memoryAddress();
    for (long r0 = 0; r0 < rows; r0 += ROW_TILE) {
      long r1 = Math.min(rows, r0 + ROW_TILE);
      for (long c0 = 0; c0 < cols; c0 += COLUMN_TILE) {
        long c1 = Math.min(cols, c0 + COLUMN_TILE);
        for (long c = c0; c < c1; c++) {
          long to = dst + (c * rows + r0) * itemSize;
          long from = src + (r0 * cols + c) * itemSize;
          long stride = cols * itemSize;
          copyStrided(from, stride, to, r1 - r0, itemSize);
        }
      }
    }
    return out;
  }

  /** Copies {@code n} items of {@code itemSize} bytes, {@code stride} bytes apart at {@code from}, to consecutive places at {@code to}. */
  public static void copyStrided(long from, long stride, long to, long n, int itemSize) {
    switch (itemSize) {
      case 1 -> {
        for (long i = 0; i < n; i++) {
          MemoryUtil.putByte(to + i, MemoryUtil.getByte(from + i * stride));
        }
      }
      case 2 -> {
        for (long i = 0; i < n; i++) {
          MemoryUtil.putShort(to + 2 * i, MemoryUtil.getShort(from + i * stride));
        }
      }
      case 4 -> {
        for (long i = 0; i < n; i++) {
          MemoryUtil.putInt(to + 4 * i, MemoryUtil.getInt(from + i * stride));
        }
      }
      case 8 -> {
        for (long i = 0; i < n; i++) {
          MemoryUtil.putLong(to + 8 * i, MemoryUtil.getLong(from + i * stride));
        }
      }
      default -> {
        for (long i = 0; i < n; i++) {
          MemoryUtil.copyMemory(from + i * stride, to + (long) itemSize * i, itemSize);
        }
      }
    }
  }
}
