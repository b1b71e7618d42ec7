package io.arrownpz.bridge.internal;

import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/**
 * Joins one column of several batches into the empty vector of the table they make, where the column is a
 * validity bitmap and flat buffers: fixed-width values (not bits), and strings and binaries with 4- or
 * 8-byte offsets. Each buffer is allocated at its final size and written once. The general path (Arrow
 * Java's {@code allocateNew}, then its appender) zeroes every buffer before it is copied into (39% of reading
 * pyarrow's 2M-row Feather file of 31 batches whole) and reads and writes each offset through a
 * bounds-checked call.
 *
 * <p>The batches have been validated ({@link Tables#validate}): their buffers hold what their lengths and
 * offsets say, so values are copied from plain memory.
 */
final class FlatColumnJoin {
  private FlatColumnJoin() {}

  /**
   * Joins column {@code column} of {@code batches} ({@code rows} rows in all) into {@code into}, an empty
   * vector of the same type; false, with {@code into} left empty, for a column this class does not join.
   */
  static boolean join(FieldVector into, List<VectorSchemaRoot> batches, int column, int rows,
      BufferAllocator allocator) {
    if (into instanceof BaseFixedWidthVector fixed && !(into instanceof BitVector)) {
      joinFixedWidth(fixed, batches, column, rows, allocator);
      return true;
    }
    if (!(into instanceof BaseVariableWidthVector || into instanceof BaseLargeVariableWidthVector)) {
      return false;
    }
    int width = VectorCapacity.offsetBytes(into);
    long bytes = 0;
    for (VectorSchemaRoot batch : batches) {
      bytes += VectorCapacity.totalLength(batch.getVector(column));
    }
    if (width == 4 && bytes > Integer.MAX_VALUE) {
      return false; // the general path says why such a column cannot be one vector
    }
    joinVariableWidth(into, width, bytes, batches, column, rows, allocator);
    return true;
  }

  private static void joinFixedWidth(BaseFixedWidthVector into, List<VectorSchemaRoot> batches, int column, int rows,
      BufferAllocator allocator) {
    long width = into.getTypeWidth();
    try (ArrowBuf validity = validity(rows, allocator);
         ArrowBuf data = allocator.buffer(rows * width)) {
      int present = 0;
      long nulls = 0;
      for (VectorSchemaRoot batch : batches) {
        FieldVector from = batch.getVector(column);
        int n = from.getValueCount();
        MemoryUtil.copyMemory(from.getDataBuffer().memoryAddress(), data.memoryAddress() + present * width, n * width);
        BitVectorHelper.concatBits(validity, present, from.getValidityBuffer(), n, validity);
        nulls += from.getNullCount();
        present += n;
      }
      into.loadFieldBuffers(new ArrowFieldNode(rows, nulls), List.of(validity, data));
    }
  }

  private static void joinVariableWidth(FieldVector into, int width, long bytes, List<VectorSchemaRoot> batches,
      int column, int rows, BufferAllocator allocator) {
    try (ArrowBuf validity = validity(rows, allocator);
         ArrowBuf offsets = allocator.buffer((rows + 1L) * width);
         ArrowBuf data = allocator.buffer(bytes)) {
      offsets.setZero(0, width); // the first offset, for a table of no rows
      int present = 0;
      long end = 0;
      long nulls = 0;
      for (VectorSchemaRoot batch : batches) {
        FieldVector from = batch.getVector(column);
        int n = from.getValueCount();
        if (n == 0) {
          continue;
        }
        long source = from.getOffsetBuffer().memoryAddress();
        long first = offset(from.getOffsetBuffer(), width, 0);
        long length = VectorCapacity.totalLength(from);
        MemoryUtil.copyMemory(from.getDataBuffer().memoryAddress() + first, data.memoryAddress() + end, length);
        // Offsets 0..n of this batch, moved to start at the end of the data so far (offset 0 lands on the
        // previous batch's last, with the same value).
        long target = offsets.memoryAddress() + (long) present * width;
        long shift = end - first;
        if (width == 4) {
          for (long i = 0; i <= n; i++) {
            MemoryUtil.putInt(target + 4 * i, (int) (MemoryUtil.getInt(source + 4 * i) + shift));
          }
        } else {
          for (long i = 0; i <= n; i++) {
            MemoryUtil.putLong(target + 8 * i, MemoryUtil.getLong(source + 8 * i) + shift);
          }
        }
        BitVectorHelper.concatBits(validity, present, from.getValidityBuffer(), n, validity);
        nulls += from.getNullCount();
        present += n;
        end += length;
      }
      into.loadFieldBuffers(new ArrowFieldNode(rows, nulls), List.of(validity, offsets, data));
    }
  }

  /** A validity bitmap for {@code rows} rows, all bits clear (bits are set by or-ing batches' in). */
  private static ArrowBuf validity(int rows, BufferAllocator allocator) {
    ArrowBuf validity = allocator.buffer((rows + 7L) / 8);
    validity.setZero(0, validity.capacity());
    return validity;
  }

  /** Offset {@code index} of a buffer of {@code width}-byte offsets (bounds-checked). */
  private static long offset(ArrowBuf offsets, int width, long index) {
    return width == 4 ? offsets.getInt(index * 4) : offsets.getLong(index * 8);
  }
}
