package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adjacent columns go into one block exactly when their NumPy dtypes are equal. The writer takes a
 * column's dtype from the one before it when both are fixed-width with the same Arrow type and recorded
 * descr; columns that differ in byte order only, or strings whose widths come from their text, must
 * still be told apart.
 */
class BlockGroupingTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void adjacentColumnsShareABlockOnlyWhenTheirDtypesAreEqual() throws IOException {
    List<FieldVector> columns = List.of(
        integers("a", 64, null, 1, 2), integers("b", 64, ">i8", 3, 4), integers("c", 64, ">i8", 5, 6),
        integers("d", 64, null, 7, 8), integers("e", 64, null, 9, 10), integers("f", 32, null, 11, 12),
        texts("g", "x", "y"), texts("h", "wider", "z"), texts("i", "three", "a"));
    Path npz = tmp.resolve("grouped.npz");
    try (VectorSchemaRoot table = new VectorSchemaRoot(columns)) {
      FrameWriter.writeNpz(table, npz, FrameWriteOptions.DEFAULTS);
    }
    String out = PythonPeer.run("""
        import sys, numpy as np
        z = np.load(sys.argv[1])
        blocks = sorted((k for k in z.files if k.startswith('__blocks_')), key=lambda k: int(k.split('_')[3]))
        print(' '.join(f"{z[k].dtype.str}x{1 if z[k].ndim == 1 else z[k].shape[1]}" for k in blocks))
        print(z[blocks[1]].tolist())
        """, npz.toString());
    assertEquals("<i8x1 >i8x2 <i8x2 <i4x1 <U1x1 <U5x2\n[[3, 5], [4, 6]]", out.strip());
  }

  /** Integers of {@code bits} bits, with a recorded NumPy descr when one is given. */
  private FieldVector integers(String name, int bits, String descr, long... values) {
    FieldType type = new FieldType(false, new ArrowType.Int(bits, true), null,
        descr == null ? null : Map.of(NumpyMetadata.DESCR, descr));
    FieldVector v = type.createNewSingleVector(name, memory.allocator(), null);
    ((BaseFixedWidthVector) v).allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      ((BaseIntVector) v).setWithPossibleTruncate(i, values[i]);
    }
    v.setValueCount(values.length);
    return v;
  }

  private FieldVector texts(String name, String... values) {
    VarCharVector v = new VarCharVector(name, memory.allocator());
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      v.setSafe(i, values[i].getBytes(StandardCharsets.UTF_8));
    }
    v.setValueCount(values.length);
    return v;
  }
}
