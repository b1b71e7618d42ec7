package io.arrownpz.flight.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.BufferLayout.BufferType;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Leaves out of a record batch the validity bitmaps of columns without nulls, as the IPC format allows (a
 * buffer of length 0 where the null count is 0) and as Arrow C++ writes them.
 *
 * <p>Why: Arrow Java keeps a bitmap of ones for every such column, and its unloader sends it. A DoGet of a
 * 1 GiB frame of 16 float columns sent 16 MB of ones in 2,048 extra buffers, which every client receives,
 * copies out of gRPC's buffers and holds; pyarrow.flight serving the same data sends none. Readers that
 * find no bitmap take every value as valid (Arrow Java makes its own bitmap of ones, as it does for
 * pyarrow's files).
 */
final class AllValidBitmaps {
  /** Each type's buffers as the unloader sends them, worked out once per type. */
  private static final Map<ArrowType, Layout> LAYOUTS = new ConcurrentHashMap<>();

  /**
   * A type's buffer count (views add their data buffers to it) and whether the first is its validity
   * bitmap (not so for nulls, unions and run-end encoding).
   */
  private record Layout(int buffers, boolean validityFirst) {
    static Layout of(ArrowType type) {
      List<BufferType> types = TypeLayout.getTypeLayout(type).getBufferTypes();
      return new Layout(TypeLayout.getTypeBufferCount(type), !types.isEmpty() && types.get(0) == BufferType.VALIDITY);
    }
  }

  private AllValidBitmaps() {}

  /**
   * {@code batch}, unloaded from {@code root} by Arrow's {@code VectorUnloader}, with the bitmaps of its
   * columns (and children) of no nulls left out: the same batch when there are none, else a new one that
   * takes the old one's buffers over (the old one must then not be closed; the bitmaps left out are
   * released here).
   */
  static ArrowRecordBatch leftOut(VectorSchemaRoot root, ArrowRecordBatch batch) {
    if (batch.getBodyCompression().getCodec() != NoCompressionCodec.COMPRESSION_TYPE) {
      return batch; // sent as Arrow made it
    }
    List<ArrowBuf> buffers = batch.getBuffers();
    List<ArrowFieldNode> nodes = batch.getNodes();
    Walk walk = new Walk(nodes, batch.getVariadicBufferCounts());
    try {
      for (FieldVector vector : root.getFieldVectors()) {
        walk.visit(vector);
      }
    } catch (RuntimeException e) {
      batch.close(); // taken over, as when it is sent
      throw e;
    }
    if (walk.allValid.isEmpty()) {
      return batch;
    }
    List<ArrowBuf> kept = new ArrayList<>(buffers);
    ArrowBuf empty = walk.allocator.getEmpty();
    for (int index : walk.allValid) {
      kept.set(index, empty);
    }
    ArrowRecordBatch slim = new ArrowRecordBatch(batch.getLength(), nodes, kept, batch.getBodyCompression(),
        batch.getVariadicBufferCounts(), true, false);
    for (int index : walk.allValid) {
      buffers.get(index).close(); // the old batch's hold on it, which nothing takes over
    }
    return slim;
  }

  /**
   * Goes through the vectors in the order Arrow's unloader does (a vector, then its children), pairing
   * each with its node and the position of its first buffer.
   */
  private static final class Walk {
    private final List<ArrowFieldNode> nodes;
    private final List<Long> variadicCounts;
    final List<Integer> allValid = new ArrayList<>();
    /** The allocator of the first vector whose bitmap is left out: its empty buffer takes the place. */
    BufferAllocator allocator;
    private int node;
    private int buffer;
    private int views;

    Walk(List<ArrowFieldNode> nodes, List<Long> variadicCounts) {
      this.nodes = nodes;
      this.variadicCounts = variadicCounts;
    }

    void visit(FieldVector vector) {
      ArrowFieldNode fieldNode = nodes.get(node++);
      Layout layout = LAYOUTS.computeIfAbsent(vector.getField().getType(), Layout::of);
      if (fieldNode.getNullCount() == 0 && fieldNode.getLength() > 0 && layout.validityFirst()) {
        allValid.add(buffer);
        allocator = allocator == null ? vector.getAllocator() : allocator;
      }
      buffer += layout.buffers();
      if (vector instanceof BaseVariableWidthViewVector) {
        buffer += Math.toIntExact(variadicCounts.get(views++)); // the unloader's count of its data buffers
      }
      for (FieldVector child : vector.getChildrenFromFields()) {
        visit(child);
      }
    }
  }
}
