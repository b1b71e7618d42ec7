package io.arrownpz.bridge.ipc;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BufferLayout;
import org.apache.arrow.vector.TypeLayout;
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

  /** A description of the first mismatch, or null when the batch is sound (or holds types not checked). */
  static String problem(Schema schema, ArrowRecordBatch batch) {
    Iterator<ArrowFieldNode> nodes = batch.getNodes().iterator();
    Iterator<ArrowBuf> buffers = batch.getBuffers().iterator();
    Map<ArrowType, List<BufferLayout>> layouts = new HashMap<>();
    try {
      for (Field field : schema.getFields()) {
        ArrowFieldNode node = nodes.hasNext() ? nodes.next() : null;
        if (node != null && node.getLength() != batch.getLength()) {
          return "column '" + field.getName() + "' has " + node.getLength() + " values in a batch of "
              + batch.getLength() + " rows";
        }
        String problem = check(field, node, nodes, buffers, layouts);
        if (problem != null) {
          return problem;
        }
      }
    } catch (Unchecked e) {
      return null;
    }
    return null;
  }

  /** Thrown to stop checking: a type whose buffers are not simply sized by its length, or missing nodes. */
  private static final class Unchecked extends RuntimeException {
    Unchecked() {
      super(null, null, false, false);
    }
  }

  private static String check(Field field, ArrowFieldNode node, Iterator<ArrowFieldNode> nodes,
      Iterator<ArrowBuf> buffers, Map<ArrowType, List<BufferLayout>> layoutCache) {
    if (node == null) {
      throw new Unchecked();
    }
    // Wide tables repeat a few types thousands of times; Arrow builds a new layout object each call.
    List<BufferLayout> layouts = layoutCache.computeIfAbsent(field.getType(),
        t -> TypeLayout.getTypeLayout(t).getBufferLayouts());
    boolean hasOffsets = layouts.stream().anyMatch(l -> l.getType() == BufferLayout.BufferType.OFFSET);
    long n = node.getLength();
    for (BufferLayout layout : layouts) {
      if (layout.getType() == BufferLayout.BufferType.VIEWS
          || layout.getType() == BufferLayout.BufferType.VARIADIC_DATA_BUFFERS || !buffers.hasNext()) {
        throw new Unchecked();
      }
      long size = buffers.next().writerIndex();
      long needed = needed(layout, n, hasOffsets);
      if (needed > 0 && size < needed) {
        return "column '" + field.getName() + "': its " + layout.getType().getName() + " buffer holds " + size
            + " bytes, but " + n + " values need " + needed;
      }
    }
    for (Field child : field.getChildren()) {
      String problem = check(child, nodes.hasNext() ? nodes.next() : null, nodes, buffers, layoutCache);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** The least size of a buffer for {@code n} values (0: may be absent or is not sized by the count). */
  private static long needed(BufferLayout layout, long n, boolean hasOffsets) {
    int bits = layout.getTypeBitWidth();
    return switch (layout.getType()) {
      case VALIDITY -> 0; // absent when there are no nulls; Arrow makes one of the right size then
      case OFFSET -> n == 0 ? 0 : (n + 1) * bits / 8;
      case DATA -> hasOffsets ? 0 : (n * bits + 7) / 8;
      case TYPE, SIZE -> (n * bits + 7) / 8;
      default -> 0;
    };
  }
}
