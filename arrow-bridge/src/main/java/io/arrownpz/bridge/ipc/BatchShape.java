package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.ipc.BufferSlots.Slot;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Checks that a record batch's buffers are as big as its column lengths need, before Arrow loads it.
 * Arrow's loader grows a vector whose buffers are too small for the batch's row count, and when that
 * fails half-way, the memory it took is never released; a file must not be able to cause either.
 */
final class BatchShape {
  private BatchShape() {}

  /** A description of the first mismatch, or null when the batch is sound (little-endian buffers). */
  static String problem(Schema schema, ArrowRecordBatch batch) {
    return problem(schema, batch, false);
  }

  /**
   * As {@link #problem(Schema, ArrowRecordBatch)}, for buffers in the file's byte order. A list's or map's
   * offsets must stay within its child's values: Arrow's loader sizes the child by the last offset, and
   * growing it past its buffer fails half-way with the new buffer unreleased.
   */
  static String problem(Schema schema, ArrowRecordBatch batch, boolean bigEndian) {
    List<Field> fields = schema.getFields();
    long[] lengths = new long[fields.size()];
    List<Slot> slots;
    try {
      slots = BufferSlots.of(fields, batch, lengths);
    } catch (IllegalArgumentException e) {
      return io.arrownpz.bridge.internal.Errors.oneLine(e);
    }
    for (int i = 0; i < lengths.length; i++) {
      if (lengths[i] != batch.getLength()) {
        return "column '" + fields.get(i).getName() + "' has " + lengths[i] + " values in a batch of "
            + batch.getLength() + " rows";
      }
    }
    List<ArrowBuf> buffers = batch.getBuffers();
    for (Slot slot : slots) {
      long size = buffers.get(slot.buffer()).writerIndex();
      long needed = needed(slot);
      if (needed > 0 && size < needed) {
        return "column '" + slot.field().getName() + "': its " + slot.kind().getName() + " buffer holds " + size
            + " bytes, but " + slot.length() + " values need " + needed;
      }
      if (slot.childLength() >= 0 && slot.length() > 0) {
        ArrowBuf offsets = buffers.get(slot.buffer());
        long first = offset(offsets, 0, slot.bitWidth(), bigEndian);
        long last = offset(offsets, slot.length(), slot.bitWidth(), bigEndian);
        if (first < 0 || last < first || last > slot.childLength()) {
          return "column '" + slot.field().getName() + "': its offsets run from " + first + " to " + last
              + ", outside its " + slot.childLength() + " child values";
        }
      }
    }
    return null;
  }

  /** Offset {@code i} of an offsets buffer of 32- or 64-bit entries in the given byte order. */
  private static long offset(ArrowBuf offsets, long i, int bitWidth, boolean bigEndian) {
    if (bitWidth == 64) {
      long v = offsets.getLong(i * 8);
      return bigEndian ? Long.reverseBytes(v) : v;
    }
    int v = offsets.getInt(i * 4);
    return bigEndian ? Integer.reverseBytes(v) : v;
  }

  /** The least size of a buffer (0: may be absent or is not sized by the count). */
  private static long needed(Slot slot) {
    long n = slot.length();
    // List views and dense unions have one offset per value; every other offset buffer has one more.
    boolean view = slot.type() instanceof ArrowType.ListView || slot.type() instanceof ArrowType.LargeListView
        || slot.type() instanceof ArrowType.Union;
    boolean hasOffsets = slot.type() instanceof ArrowType.Utf8 || slot.type() instanceof ArrowType.Binary
        || slot.type() instanceof ArrowType.LargeUtf8 || slot.type() instanceof ArrowType.LargeBinary;
    return switch (slot.kind()) {
      case VALIDITY -> 0; // absent when there are no nulls; Arrow makes one of the right size then
      case OFFSET -> n == 0 ? 0 : (view ? n : n + 1) * slot.bitWidth() / 8;
      case SIZE -> n * slot.bitWidth() / 8;
      case DATA -> hasOffsets ? 0 : (n * slot.bitWidth() + 7) / 8;
      case TYPE -> n; // union type ids are one byte each, whatever width Arrow Java's layout claims
      case VIEWS -> n * 16;
      default -> 0;
    };
  }
}
