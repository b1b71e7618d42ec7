package io.arrownpz.internal.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Builds a column from chosen rows of another: {@link #take} copies (row -1 gives a null), {@link #slice}
 * shares the source's buffers. Fixed- and variable-width columns are copied buffer to buffer; other
 * types a value at a time through Arrow. Packing gathers a group's rows with it, and decoding a dictionary
 * column gathers the dictionary's values by index.
 */
public final class Gather {
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
      } else if (source instanceof BaseVariableWidthVector v) {
        variableWidth(v, (BaseVariableWidthVector) target, rows, count);
      } else if (source instanceof BaseLargeVariableWidthVector v) {
        largeVariableWidth(v, (BaseLargeVariableWidthVector) target, rows, count);
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

  private static void variableWidth(BaseVariableWidthVector source, BaseVariableWidthVector target, int[] rows,
      int count) {
    // Addresses, not ArrowBuf's checked getters: rows are the caller's to give inside source, whose offsets
    // were validated when it was read; the checks were most of a dictionary column's decoding.
    long offsets = source.getOffsetBuffer().memoryAddress();
    long total = 0;
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0) {
        total += MemoryUtil.getInt(offsets + 4L * row + 4) - MemoryUtil.getInt(offsets + 4L * row);
      }
    }
    if (total > Integer.MAX_VALUE) {
      throw new io.arrownpz.UnsupportedDataException(source.getName(), "the gathered values hold " + total
          + " bytes, more than a " + source.getMinorType() + " column can");
    }
    target.allocateNew(Math.max(total, 1), count);
    long data = source.getDataBuffer().memoryAddress();
    long into = target.getDataBuffer().memoryAddress();
    long targetOffsets = target.getOffsetBuffer().memoryAddress();
    int end = 0;
    MemoryUtil.putInt(targetOffsets, 0);
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0) {
        int start = MemoryUtil.getInt(offsets + 4L * row);
        int length = MemoryUtil.getInt(offsets + 4L * row + 4) - start;
        MemoryUtil.copyMemory(data + start, into + end, length);
        end += length;
      }
      MemoryUtil.putInt(targetOffsets + 4L * i + 4, end);
    }
    copyValidity(source, target.getValidityBuffer(), rows, count);
    target.setLastSet(count - 1);
    target.setValueCount(count);
  }

  private static void largeVariableWidth(BaseLargeVariableWidthVector source, BaseLargeVariableWidthVector target,
      int[] rows, int count) {
    long offsets = source.getOffsetBuffer().memoryAddress(); // as variableWidth reads them
    long total = 0;
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0) {
        total += MemoryUtil.getLong(offsets + 8L * row + 8) - MemoryUtil.getLong(offsets + 8L * row);
      }
    }
    target.allocateNew(Math.max(total, 1), count);
    long data = source.getDataBuffer().memoryAddress();
    long into = target.getDataBuffer().memoryAddress();
    long targetOffsets = target.getOffsetBuffer().memoryAddress();
    long end = 0;
    MemoryUtil.putLong(targetOffsets, 0);
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0) {
        long start = MemoryUtil.getLong(offsets + 8L * row);
        long length = MemoryUtil.getLong(offsets + 8L * row + 8) - start;
        MemoryUtil.copyMemory(data + start, into + end, length);
        end += length;
      }
      MemoryUtil.putLong(targetOffsets + 8L * i + 8, end);
    }
    copyValidity(source, target.getValidityBuffer(), rows, count);
    target.setLastSet(count - 1);
    target.setValueCount(count);
  }

  /** Row {@code i}'s validity bit from {@code source}'s row {@code rows[i]}, written a byte at a time. */
  private static void copyValidity(FieldVector source, ArrowBuf validity, int[] rows, int count) {
    long bytes = BitVectorHelper.getValidityBufferSize(count);
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
