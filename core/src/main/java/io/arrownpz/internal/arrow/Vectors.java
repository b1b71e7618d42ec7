package io.arrownpz.internal.arrow;

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
    // With the field given, the target keeps it whole: Arrow Java's getTransferPair(allocator) rebuilds
    // some fields from the type alone and loses their not-null flag (fixed-size binary).
    TransferPair pair;
    try {
      pair = vector.getTransferPair(vector.getField(), allocator);
    } catch (UnsupportedOperationException e) {
      // A struct holding a large list: Arrow Java 18.3 builds the new struct's writer, which knows no large
      // list ("Unknown type: LARGELIST"). A vector made from the field takes the buffers as well.
      FieldVector target = vector.getField().createVector(allocator);
      pair = vector.makeTransferPair(target);
    }
    pair.transfer();
    return (FieldVector) pair.getTo();
  }

  /**
   * The vector with a nullable field: itself when its field already is, else a new vector its buffers
   * are moved to (no copy), for columns that gain nulls from a mask after they were read.
   */
  public static FieldVector asNullable(FieldVector vector) {
    org.apache.arrow.vector.types.pojo.Field field = vector.getField();
    if (field.isNullable() || vector instanceof ExtensionTypeVector<?>) {
      return vector;
    }
    org.apache.arrow.vector.types.pojo.Field nullable = new org.apache.arrow.vector.types.pojo.Field(field.getName(),
        new org.apache.arrow.vector.types.pojo.FieldType(true, field.getType(), field.getDictionary(),
            field.getMetadata()), field.getChildren());
    TransferPair pair = vector.getTransferPair(nullable, vector.getAllocator());
    pair.transfer();
    vector.close();
    return (FieldVector) pair.getTo();
  }
}
