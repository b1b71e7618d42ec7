package io.arrownpz.bridge.ipc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BufferLayout;
import org.apache.arrow.vector.BufferLayout.BufferType;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * A record batch's buffers matched to the columns they belong to, in the order the IPC format lays them
 * out (fields depth first; each field's buffers as its type's layout lists them, then, for string and
 * binary views, its variadic data buffers). The batch checks and the byte-order swap both walk this.
 */
final class BufferSlots {
  /**
   * One buffer of a batch: the field it belongs to, the type its buffers are laid out for (the index
   * type of a dictionary-encoded field, the storage type of an extension type), the field's value
   * count, the buffer's position in the batch, its role and its bits per value; for the offsets of a list or
   * map, the value count of its child (which the last offset must not pass), else -1.
   */
  record Slot(Field field, ArrowType type, long length, int buffer, BufferType kind, int bitWidth, long childLength) {
    Slot withChildLength(long childLength) {
      return new Slot(field, type, length, buffer, kind, bitWidth, childLength);
    }
  }

  private BufferSlots() {}

  /**
   * The slots of every buffer of {@code batch} for a schema's fields (in memory form, as a reader's root
   * has them: dictionary-encoded fields carry their index type).
   *
   * @throws IllegalArgumentException when the batch has fewer column nodes or buffers than the fields need
   */
  static List<Slot> of(List<Field> fields, ArrowRecordBatch batch) {
    return of(fields, batch, null);
  }

  /** As {@link #of(List, ArrowRecordBatch)}, also putting each top-level field's value count in {@code lengths}. */
  static List<Slot> of(List<Field> fields, ArrowRecordBatch batch, long[] lengths) {
    Walk walk = new Walk(batch);
    for (int i = 0; i < fields.size(); i++) {
      long length = walk.field(fields.get(i));
      if (lengths != null) {
        lengths[i] = length;
      }
    }
    return walk.slots;
  }

  /** The type a field's buffers are laid out for. */
  static ArrowType storageType(Field field) {
    if (field.getDictionary() != null) {
      return field.getDictionary().getIndexType();
    }
    ArrowType type = field.getType();
    while (type instanceof ArrowType.ExtensionType extension) {
      type = extension.storageType();
    }
    return type;
  }

  private static final class Walk {
    final List<Slot> slots = new ArrayList<>();
    final Iterator<ArrowFieldNode> nodes;
    final Iterator<Long> variadicCounts;
    final int bufferCount;
    int nextBuffer;
    // Wide tables repeat a few types thousands of times; Arrow builds a new layout object each call.
    final Map<ArrowType, List<BufferLayout>> layouts = new HashMap<>();

    Walk(ArrowRecordBatch batch) {
      this.nodes = batch.getNodes().iterator();
      // A batch made without them (Arrow's shorter constructors) has none, rather than an empty list.
      List<Long> counts = batch.getVariadicBufferCounts();
      this.variadicCounts = counts == null ? java.util.Collections.emptyIterator() : counts.iterator();
      this.bufferCount = batch.getBuffers().size();
    }

    long field(Field field) {
      if (!nodes.hasNext()) {
        throw new IllegalArgumentException("the batch has no column node for field '" + field.getName() + "'");
      }
      long length = nodes.next().getLength();
      ArrowType type = storageType(field);
      for (BufferLayout layout : layouts.computeIfAbsent(type, t -> TypeLayout.getTypeLayout(t).getBufferLayouts())) {
        slot(field, type, length, layout.getType(), layout.getTypeBitWidth());
      }
      if (type instanceof ArrowType.Utf8View || type instanceof ArrowType.BinaryView) {
        long count = variadicCounts.hasNext() ? variadicCounts.next() : 0;
        for (long i = 0; i < count; i++) {
          slot(field, type, length, BufferType.VARIADIC_DATA_BUFFERS, 8);
        }
      }
      int offsets = -1; // a list's or map's offsets: where in slots, to note its child's length once known
      if (type instanceof ArrowType.List || type instanceof ArrowType.LargeList || type instanceof ArrowType.Map) {
        for (int i = slots.size() - 1; i >= 0 && slots.get(i).field() == field; i--) {
          if (slots.get(i).kind() == BufferType.OFFSET) {
            offsets = i;
          }
        }
      }
      if (field.getDictionary() == null) {
        for (Field child : field.getChildren()) {
          long childLength = field(child);
          if (offsets >= 0) {
            slots.set(offsets, slots.get(offsets).withChildLength(childLength));
            offsets = -1;
          }
        }
      }
      return length;
    }

    private void slot(Field field, ArrowType type, long length, BufferType kind, int bitWidth) {
      if (nextBuffer >= bufferCount) {
        throw new IllegalArgumentException("the batch has too few buffers for field '" + field.getName() + "'");
      }
      slots.add(new Slot(field, type, length, nextBuffer++, kind, bitWidth, -1));
    }
  }

}
