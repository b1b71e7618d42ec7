package io.arrownpz.bridge.ipc;

import io.arrownpz.bridge.ipc.BufferSlots.Slot;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BufferLayout.BufferType;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
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
    BatchLayout layout = BatchLayout.of(fields);
    if (layout != null && batch.getNodes().size() >= layout.nodes && batch.getBuffers().size() >= layout.buffers) {
      return problem(fields, layout, batch, bigEndian);
    }
    // Views (their data buffers counted per batch), or too few nodes or buffers: the walk names what is missing.
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
      long needed = needed(slot.kind(), slot.type(), slot.bitWidth(), slot.length());
      if (needed > 0 && size < needed) {
        return "column '" + slot.field().getName() + "': its " + slot.kind().getName() + " buffer holds " + size
            + " bytes, but " + slot.length() + " values need " + needed;
      }
      if (slot.childLength() >= 0 && slot.length() > 0) {
        String outside = offsetsOutside(buffers.get(slot.buffer()), slot.length(), slot.bitWidth(), bigEndian,
            slot.childLength(), slot.field());
        if (outside != null) {
          return outside;
        }
      }
    }
    return null;
  }

  /** As {@link #problem(Schema, ArrowRecordBatch, boolean)}, through the schema's layout worked out before. */
  private static String problem(List<Field> fields, BatchLayout layout, ArrowRecordBatch batch, boolean bigEndian) {
    List<ArrowFieldNode> nodes = batch.getNodes();
    for (int i = 0; i < layout.topNodes.length; i++) {
      long n = nodes.get(layout.topNodes[i]).getLength();
      if (n != batch.getLength()) {
        return "column '" + fields.get(i).getName() + "' has " + n + " values in a batch of " + batch.getLength()
            + " rows";
      }
    }
    List<ArrowBuf> buffers = batch.getBuffers();
    for (int i = 0; i < layout.buffers; i++) {
      long n = nodes.get(layout.node[i]).getLength();
      long size = buffers.get(i).writerIndex();
      long needed = needed(layout.kind[i], layout.type[i], layout.bitWidth[i], n);
      if (needed > 0 && size < needed) {
        return "column '" + layout.field[i].getName() + "': its " + layout.kind[i].getName() + " buffer holds "
            + size + " bytes, but " + n + " values need " + needed;
      }
      if (layout.childNode[i] >= 0 && n > 0) {
        String outside = offsetsOutside(buffers.get(i), n, layout.bitWidth[i], bigEndian,
            nodes.get(layout.childNode[i]).getLength(), layout.field[i]);
        if (outside != null) {
          return outside;
        }
      }
    }
    return null;
  }

  /** Null when a list's {@code n} offsets run within its child's values, else what is wrong. */
  private static String offsetsOutside(ArrowBuf offsets, long n, int bitWidth, boolean bigEndian, long childLength,
      Field field) {
    long first = offset(offsets, 0, bitWidth, bigEndian);
    long last = offset(offsets, n, bitWidth, bigEndian);
    if (first < 0 || last < first || last > childLength) {
      return "column '" + field.getName() + "': its offsets run from " + first + " to " + last + ", outside its "
          + childLength + " child values";
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

  private static boolean oneOffsetPerValue(ArrowType type) {
    return type instanceof ArrowType.ListView || type instanceof ArrowType.LargeListView || type instanceof ArrowType.Union;
  }

  private static boolean hasOffsets(ArrowType type) {
    return type instanceof ArrowType.Utf8 || type instanceof ArrowType.Binary || type instanceof ArrowType.LargeUtf8
        || type instanceof ArrowType.LargeBinary;
  }

  /** The least size of a buffer of {@code n} values (0: may be absent or is not sized by the count). */
  private static long needed(BufferType kind, ArrowType type, int bitWidth, long n) {
    return switch (kind) {
      case VALIDITY -> 0; // absent when there are no nulls; Arrow makes one of the right size then
      // List views and dense unions have one offset per value; every other offset buffer has one more.
      case OFFSET -> n == 0 ? 0 : (oneOffsetPerValue(type) ? n : n + 1) * bitWidth / 8;
      case SIZE -> n * bitWidth / 8;
      case DATA -> hasOffsets(type) ? 0 : (n * bitWidth + 7) / 8;
      case TYPE -> n; // union type ids are one byte each, whatever width Arrow Java's layout claims
      case VIEWS -> n * 16;
      default -> 0;
    };
  }
}
