package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * StaticFrame's C-order 2-d blocks (transposed on reading), bool blocks (packed) and strings (decoded) give
 * the values StaticFrame wrote whichever way their bytes come in: from an NPZ whose members lie far apart
 * (each read exactly, blocks a band of rows at a time) or close together (through a window read ahead),
 * from an NPY directory's files large (read whole) and small (read in one call); whole frames and windows
 * of rows.
 */
class FrameReadPathsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final int COLUMNS = 12;

  @Test
  void farApartAndCloseTogetherMembersReadTheSameValues() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        n = 12
        for name, rows in (('far', 20000), ('near', 30)):
            r = np.arange(rows)[:, None]
            c = np.arange(n)[None, :]
            blocks = [(r * n + c) / 8.0, (r * n + c) * 3 - 7, (r + c) % 3 == 0,
                      np.array(['s%d' % (i % 97) for i in range(rows)])]
            assert all(b.flags.c_contiguous for b in blocks)
            columns = [p + str(i) for p in 'fib' for i in range(n)] + ['s']
            frame = sf.Frame(sf.TypeBlocks.from_blocks(blocks), columns=columns)
            frame.to_npz(sys.argv[1] + '/' + name + '.npz')
            frame.to_npy(sys.argv[1] + '/' + name + '_npy')
        """, tmp.toString());
    FrameReader reader = new FrameReader(memory.allocator());
    for (String name : new String[] {"far", "near"}) {
      int rows = name.equals("far") ? 20_000 : 30;
      for (boolean npz : new boolean[] {true, false}) {
        String what = name + (npz ? " NPZ" : " NPY directory");
        try (FrameSource source = npz ? NpzFrameSource.open(tmp.resolve(name + ".npz"))
            : new NpyDirectorySource(tmp.resolve(name + "_npy"))) {
          try (VectorSchemaRoot whole = reader.read(source)) {
            check(whole, 0, rows, what);
          }
          long from = rows / 3;
          try (VectorSchemaRoot window = reader.read(source, from, rows / 2)) {
            check(window, from, rows / 2, what + " window");
          }
        }
      }
    }
  }

  private static void check(VectorSchemaRoot table, long first, int rows, String what) {
    assertEquals(rows, table.getRowCount(), what);
    for (int i = 0; i < rows; i++) {
      long r = first + i;
      for (int c = 0; c < COLUMNS; c++) {
        long cell = r * COLUMNS + c;
        assertEquals(cell / 8.0, table.getVector("f" + c).getObject(i), what + " f" + c + " row " + r);
        assertEquals(cell * 3 - 7, table.getVector("i" + c).getObject(i), what + " i" + c + " row " + r);
        assertEquals((r + c) % 3 == 0, table.getVector("b" + c).getObject(i), what + " b" + c + " row " + r);
      }
      assertEquals("s" + r % 97, table.getVector("s").getObject(i).toString(), what + " s row " + r);
    }
  }
}
