package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fortran-order blocks of many columns: short columns are gathered and written together, long ones and
 * ones that need converting (nulls written as NaN) one by one, in whatever order they come. NumPy reads
 * every value back where it belongs, across the gathering buffer's boundaries.
 */
class FortranBlocksTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void manyShortColumnsWithConvertedOnesAmongThem() throws IOException {
    // 3,000 columns of 800 bytes: the gathered bytes fill the 1 MiB buffer twice over.
    check(100, 3_000);
  }

  @Test
  void columnsTooLongToGather() throws IOException {
    check(10_000, 12); // 80,000 bytes a column
  }

  private void check(int rows, int columns) throws IOException {
    List<FieldVector> vectors = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      Float8Vector v = new Float8Vector("c" + c, memory.allocator());
      v.allocateNew(rows);
      for (int r = 0; r < rows; r++) {
        if (c % 7 == 3 && r % 5 == 0) {
          v.setNull(r); // this column cannot be written straight from memory
        } else {
          v.set(r, c * 100_000.0 + r);
        }
      }
      v.setValueCount(rows);
      vectors.add(v);
    }
    Path npz = tmp.resolve("blocks.npz");
    try (VectorSchemaRoot table = new VectorSchemaRoot(vectors)) {
      FrameWriter.writeNpz(table, npz, FrameWriteOptions.DEFAULTS.withBlocks(FrameWriteOptions.BlockLayout.FORTRAN_2D)
          .withNullsToFloat(true));
    }
    String out = PythonPeer.run("""
        import sys, numpy as np
        rows, columns = int(sys.argv[2]), int(sys.argv[3])
        block = np.load(sys.argv[1])['__blocks_0__']
        assert block.shape == (rows, columns) and block.flags.f_contiguous, (block.shape, block.flags)
        r = np.arange(rows)[:, None]
        c = np.arange(columns)[None, :]
        want = c * 100_000.0 + r
        want[(c % 7 == 3) & (r % 5 == 0)] = np.nan
        assert np.array_equal(block, want, equal_nan=True), np.argwhere(~((block == want) | np.isnan(want)))[:5]
        print('ok')
        """, npz.toString(), String.valueOf(rows), String.valueOf(columns));
    assertEquals("ok", out.strip());
  }
}
