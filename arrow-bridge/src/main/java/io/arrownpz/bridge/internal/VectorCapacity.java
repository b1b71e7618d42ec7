package io.arrownpz.bridge.internal;

import java.util.List;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Sizes an empty vector, before {@code allocateNew}, for the rows of several batches it is about to
 * receive: values for every row and, where values have a length (strings, binaries, lists), room for the
 * total length the batches hold. Arrow Java's appender then never reallocates a top-level buffer; nested
 * children are sized from the same average and grow if that falls short.
 */
final class VectorCapacity {
  private VectorCapacity() {}

  /** Reserves {@code rows} rows in {@code target}, the column {@code column} of {@code batches}. */
  static void reserve(FieldVector target, int rows, List<VectorSchemaRoot> batches, int column) {
    if (rows == 0) {
      return;
    }
    long length = 0;
    boolean measured = true;
    for (VectorSchemaRoot b : batches) {
      long l = totalLength(b.getVector(column));
      if (l < 0) {
        measured = false;
        break;
      }
      length += l;
    }
    if (measured && (target instanceof BaseVariableWidthVector || target instanceof BaseLargeVariableWidthVector
        || target instanceof ListVector || target instanceof LargeListVector)) {
      // The average length per row; at least a little, so that a column of empty values still allocates.
      double density = Math.max((double) length / rows, 1e-3);
      if (target instanceof BaseVariableWidthVector v) {
        v.setInitialCapacity(rows, density);
      } else if (target instanceof BaseLargeVariableWidthVector v) {
        v.setInitialCapacity(rows, density);
      } else if (target instanceof ListVector v) {
        v.setInitialCapacity(rows, density);
      } else {
        ((LargeListVector) target).setInitialCapacity(rows, density);
      }
    } else {
      target.setInitialCapacity(rows);
    }
  }

  /**
   * The bytes (or list elements) a batch's column holds, from its first and last offsets; -1 for a
   * vector without 32- or 64-bit offsets of that kind.
   */
  private static long totalLength(FieldVector v) {
    int n = v.getValueCount();
    if (v instanceof BaseVariableWidthVector || v instanceof ListVector) {
      return n == 0 ? 0 : v.getOffsetBuffer().getInt((long) n * 4) - v.getOffsetBuffer().getInt(0);
    }
    if (v instanceof BaseLargeVariableWidthVector || v instanceof LargeListVector) {
      return n == 0 ? 0 : v.getOffsetBuffer().getLong((long) n * 8) - v.getOffsetBuffer().getLong(0);
    }
    return -1;
  }
}
