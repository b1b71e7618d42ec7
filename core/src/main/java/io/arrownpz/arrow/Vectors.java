package io.arrownpz.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.util.TransferPair;

/** Small operations on vectors that Arrow Java gets wrong or leaves out. */
public final class Vectors {
  private Vectors() {}

  /**
   * Moves a vector's buffers to a new vector owned by {@code allocator}. Unlike
   * {@code getTransferPair}, an extension vector stays an extension vector (Arrow Java hands back the
   * bare storage vector).
   */
  public static FieldVector transfer(FieldVector vector, BufferAllocator allocator) {
    if (vector instanceof ExtensionTypeVector<?> ext) {
      FieldVector target = vector.getField().createVector(allocator);
      FieldVector storage = (FieldVector) ((ExtensionTypeVector<?>) target).getUnderlyingVector();
      ext.getUnderlyingVector().makeTransferPair(storage).transfer();
      return target;
    }
    TransferPair pair = vector.getTransferPair(allocator);
    pair.transfer();
    return (FieldVector) pair.getTo();
  }
}
