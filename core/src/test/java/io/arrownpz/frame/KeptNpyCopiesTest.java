package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.internal.memory.KeptMappings;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.FileStates;
import io.arrownpz.testing.NpyDirectories;
import io.arrownpz.testing.PythonPeer;
import io.arrownpz.testing.TickWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StaticFrame NPY directory of more small files than mappings may be kept (1,200 columns, a file each):
 * from its second open, the files past the mappings are kept as copies of their settled state, and the
 * third open points into those copies. A file rewritten in place (its modification time put back) or
 * replaced reads its new values, before and after it settles again; a file not settled is not copied.
 * Columns of both byte orders, and a frame of no rows, go the same way.
 */
class KeptNpyCopiesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @RegisterExtension final TickWindow tickWindow = new TickWindow();
  @TempDir Path tmp;

  private static final int COLUMNS = 1200;
  private static final int ROWS = 40;
  /** The last column, a float64 one: its file comes long after the first 512 kept as mappings. */
  private static final String LATE = String.format("c%04d", COLUMNS - 1);

  @Test
  void smallFilesPastTheMappingsAreKeptAsCopiesOfTheirSettledState() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        r = np.arange(%d)
        for k in (1, 2, 3):
            cols = {}
            for c in range(%d):
                kind = c %% 3
                # ints of both byte orders, bools, floats
                cols['c%%04d' %% c] = ((r * 3 + c + k).astype('>i8' if c %% 2 else '<i8') if kind == 0
                                      else (r + c + k) %% 3 == 0 if kind == 1 else r / 4.0 + c + k)
            sf.Frame.from_dict(cols).to_npy(sys.argv[1] + '/w%%d' %% k)
        empty = np.arange(0)
        sf.Frame.from_dict({'c%%04d' %% c: empty.astype(['>i8', bool, '<f8'][c %% 3]) for c in range(%d)}).to_npy(
            sys.argv[1] + '/none')
        """.formatted(ROWS, COLUMNS, COLUMNS), tmp.toString());
    Path dir = NpyDirectories.copy(tmp.resolve("w1"), tmp.resolve("wide"));
    Path lateFile = NpyDirectories.files(dir).stream()
        .filter(f -> f.getFileName().toString().equals("__blocks_" + (COLUMNS - 1) + "__.npy")).findFirst()
        .orElseThrow();
    KeptMappings.SHARED.clear();
    FileStates.settle();
    FrameReader reader = new FrameReader(memory.allocator());

    try (VectorSchemaRoot once = NpyDirectories.read(reader, dir)) {
      check(once, 1, "first open");
    }
    assertEquals(0, KeptMappings.SHARED.keptCopies(), "read once: nothing copied");
    long address;
    try (VectorSchemaRoot again = NpyDirectories.read(reader, dir)) {
      check(again, 1, "second open");
      address = address(again);
    }
    assertTrue(KeptMappings.SHARED.keptCopies() > 500, "copies kept past the mappings: "
        + KeptMappings.SHARED.keptCopies());
    assertTrue(KeptMappings.SHARED.holdsPath(lateFile), "the last column's file kept");
    try (VectorSchemaRoot third = NpyDirectories.read(reader, dir)) {
      check(third, 1, "third open");
      assertEquals(address, address(third), "the copy the second open kept");
    }

    // Rewritten in place, times put back: no copy stands for the new bytes until they settle, then one does.
    NpyDirectories.rewriteInPlace(tmp.resolve("w2"), dir);
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot rewritten = NpyDirectories.read(reader, dir)) {
        check(rewritten, 2, "rewritten in place, open " + pass);
      }
    }
    FileStates.settle();
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot settled = NpyDirectories.read(reader, dir)) {
        check(settled, 2, "rewritten and settled, open " + pass);
      }
    }
    assertTrue(KeptMappings.SHARED.holdsPath(lateFile), "the rewritten file copied once settled");

    // Replaced by other files of the same size.
    for (Path member : NpyDirectories.files(tmp.resolve("w3"))) {
      Files.move(member, dir.resolve(member.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    for (int pass = 0; pass < 2; pass++) {
      try (VectorSchemaRoot replaced = NpyDirectories.read(reader, dir)) {
        check(replaced, 3, "replaced, open " + pass);
      }
    }

    try (VectorSchemaRoot table = NpyDirectories.read(reader, dir)) {
      FrameWriter.writeNpyDirectory(table, dir, FrameWriteOptions.DEFAULTS);
    }
    assertFalse(KeptMappings.SHARED.holdsPath(lateFile), "written anew: the copy let go");
    try (VectorSchemaRoot ours = NpyDirectories.read(reader, dir)) {
      check(ours, 3, "written by us");
    }
    KeptMappings.SHARED.clear();
    assertEquals(0, KeptMappings.SHARED.keptCopies());

    // A frame of no rows (files of a header only), kept the same way: the same fields every open.
    Path none = NpyDirectories.copy(tmp.resolve("none"), tmp.resolve("none_copy"));
    FileStates.settle();
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot empty = NpyDirectories.read(reader, none)) {
        assertEquals(0, empty.getRowCount(), "no rows, open " + pass);
        assertEquals(COLUMNS, empty.getSchema().getFields().size(), "open " + pass);
        assertEquals(String.valueOf(empty.getVector(LATE).getField().getType()), "FloatingPoint(DOUBLE)");
      }
    }
    assertTrue(KeptMappings.SHARED.keptCopies() > 500, "the empty frame's files kept as copies too");
    KeptMappings.SHARED.clear();
  }

  private static void check(VectorSchemaRoot table, int k, String what) {
    assertEquals(ROWS, table.getRowCount(), what);
    assertEquals(COLUMNS, table.getSchema().getFields().size(), what);
    for (int c = 0; c < COLUMNS; c += 7) {
      String name = String.format("c%04d", c);
      for (int r = 0; r < ROWS; r += 13) {
        Object expected = switch (c % 3) {
          case 0 -> (long) r * 3 + c + k;
          case 1 -> (r + c + k) % 3 == 0;
          default -> r / 4.0 + c + k;
        };
        assertEquals(expected, table.getVector(name).getObject(r), what + ": " + name + " row " + r);
      }
    }
    assertEquals((ROWS - 1) / 4.0 + COLUMNS - 1 + k, table.getVector(LATE).getObject(ROWS - 1),
        what + ": the last column's last row");
  }

  private static long address(VectorSchemaRoot table) {
    return table.getVector(LATE).getDataBuffer().memoryAddress();
  }
}
