package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.NumpyTables;
import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.TransferPair;
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

  /**
   * A wide frame of many small C-order blocks: their transposed copies share memory, yet each column is its
   * own range of it and a column kept after the table is closed keeps its values; the allocator extension
   * fails the test if any memory is left over.
   */
  @Test
  void smallBlocksShareMemoryYetEachColumnIsItsOwn() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        rows, blocks = 10, 400
        r = np.arange(rows)[:, None]
        parts = [(r * 1000 + b * 2 + np.arange(2)[None, :]).astype(np.float64) for b in range(blocks)]
        parts += [(r + b) % 2 == 0 for b in range(50)]
        frame = sf.Frame(sf.TypeBlocks.from_blocks(parts),
                         columns=['c%d' % i for i in range(2 * blocks)] + ['b%d' % b for b in range(50)])
        frame.to_npz(sys.argv[1] + '/small.npz')
        """, tmp.toString());
    FrameReader reader = new FrameReader(memory.allocator());
    Float8Vector kept;
    try (FrameSource source = NpzFrameSource.open(tmp.resolve("small.npz"));
        VectorSchemaRoot table = reader.read(source)) {
      for (int c = 0; c < 800; c++) {
        for (int r = 0; r < 10; r++) {
          assertEquals(r * 1000.0 + c, table.getVector("c" + c).getObject(r), "c" + c + " row " + r);
        }
      }
      for (int b = 0; b < 50; b++) {
        for (int r = 0; r < 10; r++) {
          assertEquals((r + b) % 2 == 0, table.getVector("b" + b).getObject(r), "b" + b + " row " + r);
        }
      }
      // Columns read from a file are read-only (the copies are kept for the next read): each is its own
      // range of that memory, no two overlapping.
      java.util.TreeMap<Long, String> starts = new java.util.TreeMap<>();
      for (int c = 0; c < 800; c++) {
        starts.put(table.getVector("c" + c).getDataBuffer().memoryAddress(), "c" + c);
      }
      assertEquals(800, starts.size(), "800 columns, 800 ranges");
      long previousEnd = Long.MIN_VALUE;
      for (long start : starts.keySet()) {
        org.junit.jupiter.api.Assertions.assertTrue(start >= previousEnd, starts.get(start) + " overlaps the column before");
        previousEnd = start + 10 * 8;
      }
      Float8Vector last = (Float8Vector) table.getVector("c799");
      TransferPair move = last.getTransferPair(memory.allocator());
      move.transfer();
      kept = (Float8Vector) move.getTo();
    }
    try (kept) {
      for (int r = 0; r < 10; r++) {
        assertEquals(r * 1000.0 + 799, kept.get(r), "c799 row " + r + " after the table was closed");
      }
    }
  }

  /**
   * A block big enough to be transposed in two halves at once into a recycled block: the values are right
   * with an earlier table still holding its block, and again after it is closed (the block used again);
   * and a file cut short after it was opened reads the values as opened where a kept copy of them is
   * shared, and otherwise fails the read with a message naming it, leaving nothing allocated.
   */
  @Test
  void bigBlocksReadInTwoHalvesAndFailCleanlyWhenCutShort() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        rows = 60000
        r = np.arange(rows)[:, None]
        block = (r * 12 + np.arange(12)[None, :]) / 8.0
        assert block.flags.c_contiguous and block.nbytes > 4 * 2**20
        sf.Frame(sf.TypeBlocks.from_blocks([block]), columns=['f%d' % i for i in range(12)]).to_npz(sys.argv[1] + '/big.npz')
        """, tmp.toString());
    Path file = tmp.resolve("big.npz");
    FrameReader reader = new FrameReader(memory.allocator());
    try (FrameSource source = NpzFrameSource.open(file); VectorSchemaRoot first = reader.read(source)) {
      checkBig(first);
      try (VectorSchemaRoot second = reader.read(source)) {
        checkBig(second);
      }
    }
    try (FrameSource source = NpzFrameSource.open(file); VectorSchemaRoot again = reader.read(source)) {
      checkBig(again);
    }
    try (FrameSource source = NpzFrameSource.open(file)) {
      try (java.nio.channels.FileChannel cut = java.nio.channels.FileChannel.open(file,
          java.nio.file.StandardOpenOption.WRITE)) {
        cut.truncate(Files.size(file) * 3 / 4);
      }
      // Read after the cut, the open frame fails naming the file: what it reads (its members' local
      // headers, then their data) is read from the file as it is now.
      java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
          () -> reader.read(source).close());
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("big.npz"), e.getMessage());
    }
  }

  private static void checkBig(VectorSchemaRoot table) {
    assertEquals(60_000, table.getRowCount());
    for (int r = 0; r < 60_000; r += 7) {
      for (int c = 0; c < 12; c++) {
        assertEquals((r * 12 + c) / 8.0, table.getVector("f" + c).getObject(r), "f" + c + " row " + r);
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

  /**
   * A frame's fields record each column's dtype and nothing of its shape (the frame's row count): the same
   * on the first read, on a read through the kept layout, and on a window; a plain NPY file keeps its shape.
   */
  @Test
  void frameFieldsRecordTheDtypeAndNotTheShape() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        frame = sf.Frame.from_dict({'a': np.arange(40.0), 'b': np.arange(40) > 7, 'c': np.arange(40).astype('>i4')},
                                   index=np.arange(40) * 2)
        frame.to_npz(sys.argv[1] + '/f.npz')
        np.save(sys.argv[1] + '/plain.npy', np.arange(6.0))
        """, tmp.toString());
    Map<String, String> expected = Map.of("__index_level_0__", "<i8", "a", "<f8", "b", "|b1", "c", ">i4");
    FrameReader reader = new FrameReader(memory.allocator());
    for (int pass = 0; pass < 2; pass++) {
      try (FrameSource source = NpzFrameSource.open(tmp.resolve("f.npz"));
           VectorSchemaRoot whole = reader.read(source);
           VectorSchemaRoot window = reader.read(source, 10, 5)) {
        for (VectorSchemaRoot table : new VectorSchemaRoot[] {whole, window}) {
          for (int i = 0; i < table.getSchema().getFields().size(); i++) {
            Field field = table.getSchema().getFields().get(i);
            String what = "pass " + pass + ", " + field.getName();
            assertEquals(Map.of(NumpyMetadata.DESCR, expected.get(field.getName())),
                field.getMetadata(), what);
            assertEquals(field.getMetadata(), table.getVector(i).getField().getMetadata(), what + " (vector)");
          }
        }
        assertEquals(whole.getSchema(), window.getSchema());
      }
    }
    try (VectorSchemaRoot plain = NumpyTables.read(tmp.resolve("plain.npy"), memory.allocator())) {
      assertEquals("(6,)", plain.getSchema().getFields().get(0).getMetadata().get(NumpyMetadata.SHAPE));
    }
  }
}
