package io.arrownpz.internal.arrow;

import io.arrownpz.internal.memory.AllValidBitmap;
import java.util.function.LongUnaryOperator;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VariableWidthFieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Builds a column from chosen rows of another: {@link #take} copies (row -1 gives a null), {@link #slice}
 * shares the source's buffers. Fixed- and variable-width columns are copied buffer to buffer; other
 * types a value at a time through Arrow. Packing gathers a group's rows with it, and decoding a dictionary
 * column gathers the dictionary's values by index.
 */
public final class Gather {
  /** The most a variable-width target starts with beyond its source's own bytes ({@link #estimate}). */
  private static final long FIRST_GUESS_CAP = 16L << 20;

  private Gather() {}

  /** Rows {@code [from, from + count)} of {@code source}, sharing its buffers (Arrow's split). */
  public static FieldVector slice(FieldVector source, int from, int count, BufferAllocator allocator) {
    return slice(source, source.getField(), from, count, allocator);
  }

  /** As {@link #slice(FieldVector, int, int, BufferAllocator)}, the result described by {@code field}. */
  public static FieldVector slice(FieldVector source, Field field, int from, int count, BufferAllocator allocator) {
    TransferPair pair = source.getTransferPair(field, allocator);
    pair.splitAndTransfer(from, count);
    return (FieldVector) pair.getTo();
  }

  /**
   * A new column whose row {@code i} is {@code source}'s row {@code rows[i]}, or null where that is -1. The
   * rows are not checked against {@code source}'s count: the caller's to give rows it holds.
   */
  public static FieldVector take(FieldVector source, int[] rows, int count, BufferAllocator allocator) {
    return take(source, source.getField(), rows, count, allocator);
  }

  /** As {@link #take(FieldVector, int[], int, BufferAllocator)}, the result described by {@code field}. */
  public static FieldVector take(FieldVector source, Field field, int[] rows, int count, BufferAllocator allocator) {
    FieldVector target = field.createVector(allocator);
    try {
      if (source instanceof BaseFixedWidthVector f && !(source instanceof BitVector) && f.getTypeWidth() > 0) {
        fixedWidth(f, (BaseFixedWidthVector) target, rows, count);
      } else if (source instanceof BaseVariableWidthVector v && target instanceof BaseVariableWidthVector t) {
        variableWidth(v, t, 4, t::reallocDataBuffer, rows, count);
      } else if (source instanceof BaseLargeVariableWidthVector v && target instanceof BaseLargeVariableWidthVector t) {
        variableWidth(v, t, 8, t::reallocDataBuffer, rows, count);
      } else {
        valueByValue(source, target, rows, count);
      }
      return target;
    } catch (RuntimeException e) {
      target.close();
      throw e;
    }
  }

  private static void fixedWidth(BaseFixedWidthVector source, BaseFixedWidthVector target, int[] rows, int count) {
    target.allocateNew(count);
    int width = source.getTypeWidth();
    long from = source.getDataBuffer().memoryAddress();
    long to = target.getDataBuffer().memoryAddress();
    switch (width) {
      case 8 -> {
        for (int i = 0; i < count; i++) {
          int row = rows[i];
          MemoryUtil.putLong(to + 8L * i, row < 0 ? 0 : MemoryUtil.getLong(from + 8L * row));
        }
      }
      case 4 -> {
        for (int i = 0; i < count; i++) {
          int row = rows[i];
          MemoryUtil.putInt(to + 4L * i, row < 0 ? 0 : MemoryUtil.getInt(from + 4L * row));
        }
      }
      default -> {
        for (int i = 0; i < count; i++) {
          int row = rows[i];
          if (row >= 0) {
            MemoryUtil.copyMemory(from + (long) width * row, to + (long) width * i, width);
          }
        }
      }
    }
    copyValidity(source, target.getValidityBuffer(), rows, count);
    target.setValueCount(count);
  }

  /**
   * Strings and binaries, of either offset width: the target's data buffer grows (doubling, {@code grow})
   * where the first guess at its size falls short.
   */
  private static void variableWidth(VariableWidthFieldVector source, VariableWidthFieldVector target, int offsetWidth,
      Runnable grow, int[] rows, int count) {
    int sourceRows = source.getValueCount();
    long used = sourceRows == 0 ? 0 : offsetWidth == 4 ? source.getOffsetBuffer().getInt(4L * sourceRows)
        : source.getOffsetBuffer().getLong(8L * sourceRows);
    target.allocateNew(estimate(used, sourceRows, count), count);
    new ValueCopier(source.getName(), source.getOffsetBuffer().memoryAddress(), offsetWidth, source.getDataBuffer())
        .copy(rows, count, target.getOffsetBuffer().memoryAddress(), bytes -> {
          while (target.getDataBuffer().capacity() < bytes) {
            grow.run();
          }
          return target.getDataBuffer().memoryAddress();
        });
    copyValidity(source, target.getValidityBuffer(), rows, count);
    target.setLastSet(count - 1);
    target.setValueCount(count);
  }

  /**
   * Bytes to start the gathered values with: the source's mean length per row taken, but never more than the
   * source's own values or {@link #FIRST_GUESS_CAP}, whichever is more (a dictionary with one huge value
   * among short ones would otherwise ask for its mean times millions of rows); the target grows past it.
   */
  private static long estimate(long used, int sourceRows, int count) {
    long mean = sourceRows == 0 ? 0 : (long) ((double) used / sourceRows * count);
    return Math.max(1, Math.min(mean, Math.max(used, FIRST_GUESS_CAP)) + ValueCopier.SLACK);
  }

  /**
   * Copies the chosen rows' values of a variable-width column, a block of rows at a time, in two passes:
   * the first looks up each row's start and length (a cache miss a row on shuffled rows), the second
   * copies. Done in one pass, each copy waits for its own offset's miss and the processor has few misses
   * in flight; split, the misses of a pass are independent of each other and overlap. Values of up to 16
   * bytes go as two longs (the target keeps {@link #SLACK} spare bytes, so writing past a short value's end
   * only writes where the next goes): Unsafe's copyMemory is a call into the VM, tens of nanoseconds a value.
   * Offsets are read by address, not through ArrowBuf's checked getters: rows are the caller's to give
   * inside the source, whose offsets were validated when it was read.
   */
  private static final class ValueCopier {
    static final int SLACK = 16;
    private static final int BLOCK = 1024;
    private final String column;
    private final long offsets;
    private final int offsetWidth;
    private final long data;
    private final long dataCapacity;
    /** What the offset width can address: an int's range for strings and binaries. */
    private final long maxBytes;
    private final long[] starts = new long[BLOCK];
    private final int[] lengths = new int[BLOCK];

    ValueCopier(String column, long offsets, int offsetWidth, ArrowBuf data) {
      this.column = column;
      this.offsets = offsets;
      this.offsetWidth = offsetWidth;
      this.data = data.memoryAddress();
      this.dataCapacity = data.capacity();
      this.maxBytes = offsetWidth == 4 ? Integer.MAX_VALUE : Long.MAX_VALUE;
    }

    private long offset(long row) {
      return offsetWidth == 4 ? MemoryUtil.getInt(offsets + 4L * row) : MemoryUtil.getLong(offsets + 8L * row);
    }

    private void putOffset(long into, long row, long offset) {
      if (offsetWidth == 4) {
        MemoryUtil.putInt(into + 4L * row, (int) offset);
      } else {
        MemoryUtil.putLong(into + 8L * row, offset);
      }
    }

    /**
     * Copies the rows' values into the target whose offsets start at {@code targetOffsets}; {@code room} gives
     * the address of the target's data once it holds at least so many bytes (it may move as it grows).
     */
    void copy(int[] rows, int count, long targetOffsets, LongUnaryOperator room) {
      putOffset(targetOffsets, 0, 0);
      long end = 0;
      for (int from = 0; from < count; from += BLOCK) {
        int n = Math.min(BLOCK, count - from);
        long blockBytes = 0;
        for (int k = 0; k < n; k++) {
          int row = rows[from + k];
          long start = row < 0 ? 0 : offset(row);
          long length = row < 0 ? 0 : offset(row + 1L) - start;
          if (length > Integer.MAX_VALUE) {
            throw new io.arrownpz.UnsupportedDataException(column, "holds a value of " + length
                + " bytes, more than can be gathered");
          }
          starts[k] = start;
          lengths[k] = (int) length;
          blockBytes += length;
        }
        if (end + blockBytes > maxBytes) {
          throw new io.arrownpz.UnsupportedDataException(column, "the gathered values hold more than " + maxBytes
              + " bytes, more than the column's type can");
        }
        long to = room.applyAsLong(end + blockBytes + SLACK);
        for (int k = 0; k < n; k++) {
          long start = starts[k];
          int length = lengths[k];
          if (length <= 16 && start + 16 <= dataCapacity) {
            MemoryUtil.putLong(to + end, MemoryUtil.getLong(data + start));
            MemoryUtil.putLong(to + end + 8, MemoryUtil.getLong(data + start + 8));
          } else {
            MemoryUtil.copyMemory(data + start, to + end, length);
          }
          end += length;
          putOffset(targetOffsets, from + k + 1L, end);
        }
      }
    }
  }

  /** Row {@code i}'s validity bit from {@code source}'s row {@code rows[i]}, written a byte at a time. */
  private static void copyValidity(FieldVector source, ArrowBuf validity, int[] rows, int count) {
    long bytes = AllValidBitmap.bytesFor(count);
    if (validity.capacity() < bytes) {
      throw new IllegalStateException("validity buffer of " + validity.capacity() + " bytes for " + count + " rows");
    }
    validity.setZero(0, validity.capacity());
    boolean noNulls = source.getNullCount() == 0;
    long sourceBits = source.getValidityBuffer().memoryAddress();
    long into = validity.memoryAddress();
    int bits = 0;
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0 && (noNulls || (MemoryUtil.getByte(sourceBits + (row >>> 3)) >> (row & 7) & 1) != 0)) {
        bits |= 1 << (i & 7);
      }
      if ((i & 7) == 7) {
        MemoryUtil.putByte(into + (i >>> 3), (byte) bits);
        bits = 0;
      }
    }
    if ((count & 7) != 0) {
      MemoryUtil.putByte(into + (count >>> 3), (byte) bits);
    }
  }

  private static void valueByValue(FieldVector source, FieldVector target, int[] rows, int count) {
    target.setInitialCapacity(count);
    target.allocateNew();
    TransferPair pair = source.makeTransferPair(target);
    for (int i = 0; i < count; i++) {
      if (rows[i] >= 0) {
        pair.copyValueSafe(rows[i], i);
      }
    }
    target.setValueCount(count);
  }
}
