package io.arrownpz.pack;

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
 * types a value at a time through Arrow.
 */
final class Gather {
  private Gather() {}

  /** Rows {@code [from, from + count)} of {@code source}, sharing its buffers (Arrow's split). */
  static FieldVector slice(FieldVector source, int from, int count, BufferAllocator allocator) {
    return slice(source, source.getField(), from, count, allocator);
  }

  /** As {@link #slice(FieldVector, int, int, BufferAllocator)}, the result described by {@code field}. */
  static FieldVector slice(FieldVector source, Field field, int from, int count, BufferAllocator allocator) {
    TransferPair pair = source.getTransferPair(field, allocator);
    pair.splitAndTransfer(from, count);
    return (FieldVector) pair.getTo();
  }

  /** A new column whose row {@code i} is {@code source}'s row {@code rows[i]}, or null where that is -1. */
  static FieldVector take(FieldVector source, int[] rows, int count, BufferAllocator allocator) {
    return take(source, source.getField(), rows, count, allocator);
  }

  /** As {@link #take(FieldVector, int[], int, BufferAllocator)}, the result described by {@code field}. */
  static FieldVector take(FieldVector source, Field field, int[] rows, int count, BufferAllocator allocator) {
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
    ArrowBuf offsets = source.getOffsetBuffer();
    long total = 0;
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0) {
        total += offsets.getInt(4L * row + 4) - offsets.getInt(4L * row);
      }
    }
    if (total > Integer.MAX_VALUE) {
      throw new io.arrownpz.UnsupportedDataException(source.getName(), "the gathered values hold " + total
          + " bytes, more than a " + source.getMinorType() + " column can");
    }
    target.allocateNew(Math.max(total, 1), count);
    long data = source.getDataBuffer().memoryAddress();
    long into = target.getDataBuffer().memoryAddress();
    ArrowBuf targetOffsets = target.getOffsetBuffer();
    int end = 0;
    targetOffsets.setInt(0, 0);
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0) {
        int start = offsets.getInt(4L * row);
        int length = offsets.getInt(4L * row + 4) - start;
        MemoryUtil.copyMemory(data + start, into + end, length);
        end += length;
      }
      targetOffsets.setInt(4L * i + 4, end);
    }
    copyValidity(source, target.getValidityBuffer(), rows, count);
    target.setLastSet(count - 1);
    target.setValueCount(count);
  }

  private static void largeVariableWidth(BaseLargeVariableWidthVector source, BaseLargeVariableWidthVector target,
      int[] rows, int count) {
    ArrowBuf offsets = source.getOffsetBuffer();
    long total = 0;
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0) {
        total += offsets.getLong(8L * row + 8) - offsets.getLong(8L * row);
      }
    }
    target.allocateNew(Math.max(total, 1), count);
    long data = source.getDataBuffer().memoryAddress();
    long into = target.getDataBuffer().memoryAddress();
    ArrowBuf targetOffsets = target.getOffsetBuffer();
    long end = 0;
    targetOffsets.setLong(0, 0);
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0) {
        long start = offsets.getLong(8L * row);
        long length = offsets.getLong(8L * row + 8) - start;
        MemoryUtil.copyMemory(data + start, into + end, length);
        end += length;
      }
      targetOffsets.setLong(8L * i + 8, end);
    }
    copyValidity(source, target.getValidityBuffer(), rows, count);
    target.setLastSet(count - 1);
    target.setValueCount(count);
  }

  private static void copyValidity(FieldVector source, ArrowBuf validity, int[] rows, int count) {
    long bytes = BitVectorHelper.getValidityBufferSize(count);
    validity.setZero(0, validity.capacity());
    boolean noNulls = source.getNullCount() == 0;
    long sourceBits = source.getValidityBuffer().memoryAddress();
    for (int i = 0; i < count; i++) {
      int row = rows[i];
      if (row >= 0 && (noNulls || (MemoryUtil.getByte(sourceBits + (row >>> 3)) >> (row & 7) & 1) != 0)) {
        BitVectorHelper.setBit(validity, i);
      }
    }
    assert validity.capacity() >= bytes;
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
