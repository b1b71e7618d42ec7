package io.arrownpz.bridge.internal;

import java.util.List;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.DensityAwareVector;
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
    if (offsetBytes(target) == 0) {
      target.setInitialCapacity(rows);
      return;
    }
    long length = 0;
    for (VectorSchemaRoot b : batches) {
      length += totalLength(b.getVector(column));
    }
    // The average length per row; at least a little, so that a column of empty values still allocates.
    ((DensityAwareVector) target).setInitialCapacity(rows, Math.max((double) length / rows, 1e-3));
  }

  /** The width of the offsets of a string, binary or list vector (4 or 8); 0 for any other vector. */
  static int offsetBytes(FieldVector v) {
    if (v instanceof BaseVariableWidthVector || v instanceof ListVector) {
      return 4;
    }
    return v instanceof BaseLargeVariableWidthVector || v instanceof LargeListVector ? 8 : 0;
  }

  /** The bytes (or list elements) a batch's column holds, from its first and last offsets. */
  static long totalLength(FieldVector v) {
    int n = v.getValueCount();
    if (n == 0) {
      return 0;
    }
    return offsetBytes(v) == 4 ? v.getOffsetBuffer().getInt((long) n * 4) - v.getOffsetBuffer().getInt(0)
        : v.getOffsetBuffer().getLong((long) n * 8) - v.getOffsetBuffer().getLong(0);
  }
}
