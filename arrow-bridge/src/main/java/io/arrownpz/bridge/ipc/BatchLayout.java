package io.arrownpz.bridge.ipc;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BufferLayout;
import org.apache.arrow.vector.BufferLayout.BufferType;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Where every batch of one schema puts each column's buffers, worked out once for the schema rather than
 * for each batch ({@link BufferSlots} walks the fields per batch): buffer {@code i} belongs to field
 * {@code field[i]}, whose value count is that of column node {@code node[i]}. Only the counts differ
 * from batch to batch. A schema with string or binary views has no such layout: the number of their data
 * buffers is the batch's own.
 */
final class BatchLayout {
  /** Column nodes and buffers a batch of the schema has at least. */
  final int nodes;
  final int buffers;
  /** The node of each top-level field. */
  final int[] topNodes;
  /** Per buffer: its field, the type its buffers are laid out for, its role and bits per value. */
  final Field[] field;
  final ArrowType[] type;
  final BufferType[] kind;
  final int[] bitWidth;
  /** Per buffer: the node giving its field's value count; for a list's or map's offsets, its child's, else -1. */
  final int[] node;
  final int[] childNode;

  private record Memo(List<Field> fields, BatchLayout layout) {}

  /** The layout last worked out, with the fields it is of: a file's or a stream's batches share one. */
  private static volatile Memo last;

  private BatchLayout(Walk walk) {
    this.nodes = walk.nodes;
    this.buffers = walk.field.size();
    this.topNodes = walk.topNodes.stream().mapToInt(Integer::intValue).toArray();
    this.field = walk.field.toArray(new Field[0]);
    this.type = walk.type.toArray(new ArrowType[0]);
    this.kind = walk.kind.toArray(new BufferType[0]);
    this.bitWidth = walk.bitWidth.stream().mapToInt(Integer::intValue).toArray();
    this.node = walk.node.stream().mapToInt(Integer::intValue).toArray();
    this.childNode = walk.childNode.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The layout of batches of {@code fields} (in memory form, as for {@link BufferSlots#of}), or null. */
  static BatchLayout of(List<Field> fields) {
    Memo seen = last;
    if (seen != null && seen.fields() == fields) {
      return seen.layout();
    }
    Walk walk = new Walk();
    for (Field f : fields) {
      walk.topNodes.add(walk.nodes);
      if (!walk.field(f)) {
        return null;
      }
    }
    BatchLayout layout = new BatchLayout(walk);
    last = new Memo(fields, layout);
    return layout;
  }

  /** The fields depth first, in the order the IPC format lays out their nodes and buffers. */
  private static final class Walk {
    int nodes;
    final List<Integer> topNodes = new ArrayList<>();
    final List<Field> field = new ArrayList<>();
    final List<ArrowType> type = new ArrayList<>();
    final List<BufferType> kind = new ArrayList<>();
    final List<Integer> bitWidth = new ArrayList<>();
    final List<Integer> node = new ArrayList<>();
    final List<Integer> childNode = new ArrayList<>();

    /** False where a view type makes the layout the batch's own. */
    boolean field(Field f) {
      int at = nodes++;
      ArrowType t = BufferSlots.storageType(f);
      if (t instanceof ArrowType.Utf8View || t instanceof ArrowType.BinaryView) {
        return false;
      }
      int offsets = -1;
      for (BufferLayout layout : TypeLayout.getTypeLayout(t).getBufferLayouts()) {
        if (layout.getType() == BufferType.OFFSET) {
          offsets = field.size();
        }
        field.add(f);
        type.add(t);
        kind.add(layout.getType());
        bitWidth.add(layout.getTypeBitWidth());
        node.add(at);
        childNode.add(-1);
      }
      boolean nested = t instanceof ArrowType.List || t instanceof ArrowType.LargeList || t instanceof ArrowType.Map;
      if (f.getDictionary() == null) {
        for (Field child : f.getChildren()) {
          int childAt = nodes;
          if (!field(child)) {
            return false;
          }
          if (nested && offsets >= 0) {
            childNode.set(offsets, childAt);
            offsets = -1;
          }
        }
      }
      return true;
    }
  }
}
