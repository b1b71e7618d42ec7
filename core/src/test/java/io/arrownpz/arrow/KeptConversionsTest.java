package io.arrownpz.arrow;

import static io.arrownpz.testing.ProcessMemory.permissions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameSource;
import io.arrownpz.frame.NpzFrameSource;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.NpyDirectories;
import io.arrownpz.testing.FileStates;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bool and string columns of a StaticFrame frame, read again from the same unchanged file, share the
 * buffers the first read converted (members of their own, and columns of C-order blocks, whose transposed
 * copies are kept): StaticFrame's values each time, the shared buffers read-only, and a file rewritten in
 * place (same size, its modification time put back) or replaced reads its new values.
 */
class KeptConversionsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;
  // Files here are read moments after they are written: named once they outlast the clock's tick.
  @RegisterExtension final io.arrownpz.testing.TickWindow tickWindow = new io.arrownpz.testing.TickWindow();

  // Enough rows that the 2-d bool block (140 KB) is transposed into a copy that is kept, so its columns have a
  // name, and that each bool column of an NPY directory is a file too large to be read without a name (70 KB).
  private static final int ROWS = 70_000;

  /** Frames k = 1, 2, 3 of the same shape and sizes: bools and strings alone and in 2-d blocks, a float. */
  private void writeFrames() throws IOException {
    writeFrames("to_npz", ".npz");
  }

  /** The same frames written by StaticFrame's {@code method} to {@code k1 + suffix}, ... */
  private void writeFrames(String method, String suffix) throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        rows = 70000
        r = np.arange(rows)
        for k in (1, 2, 3):
            flags = lambda j: (r + k + j) % 3 == 0
            words = lambda j: np.array(['w%04d' % ((i * 7 + k + j) % 10000) for i in r], dtype='<U5')
            blocks = [flags(0), words(0), np.stack([flags(1), flags(2)], axis=1), np.stack([words(1), words(2)], axis=1),
                      r / 2.0 + k]
            assert blocks[2].flags.c_contiguous and blocks[3].flags.c_contiguous
            names = ['b0', 's0', 'b1', 'b2', 's1', 's2', 'f']
            frame = sf.Frame(sf.TypeBlocks.from_blocks(blocks), columns=names)
            getattr(frame, sys.argv[2])(sys.argv[1] + '/k%d' % k + sys.argv[3])
        """, tmp.toString(), method, suffix);
  }

  private static VectorSchemaRoot read(FrameReader reader, Path file) throws IOException {
    try (FrameSource source = NpzFrameSource.open(file)) {
      return reader.read(source);
    }
  }

  private static void check(VectorSchemaRoot table, int k, String what) {
    assertEquals(ROWS, table.getRowCount(), what);
    for (int r = 0; r < ROWS; r += 37) {
      for (int j = 0; j < 3; j++) {
        assertEquals((r + k + j) % 3 == 0, table.getVector("b" + j).getObject(r), what + " b" + j + " row " + r);
        assertEquals(String.format("w%04d", (r * 7 + k + j) % 10000), table.getVector("s" + j).getObject(r).toString(),
            what + " s" + j + " row " + r);
      }
      assertEquals(r / 2.0 + k, table.getVector("f").getObject(r), what + " f row " + r);
    }
  }

  private static long data(VectorSchemaRoot table, String column) {
    FieldVector v = table.getVector(column);
    return v.getDataBuffer().memoryAddress();
  }

  @Test
  void aFrameReadAgainSharesItsConvertedColumnsAndReadsTheFilesCurrentValues() throws IOException {
    writeFrames();
    Path file = tmp.resolve("frame.npz");
    Files.copy(tmp.resolve("k1.npz"), file);
    FrameReader reader = new FrameReader(memory.allocator());
    KeptConversions.SHARED.clear();

    try (VectorSchemaRoot once = read(reader, file)) {
      check(once, 1, "read once");
      assertEquals(0, KeptConversions.SHARED.pieces(), "bytes read once: nothing kept");
    }
    try (VectorSchemaRoot first = read(reader, file)) {
      check(first, 1, "first read again");
      assertEquals(1, KeptConversions.SHARED.pieces(), "read again: its conversions kept in one piece");
      try (VectorSchemaRoot second = read(reader, file); VectorSchemaRoot third = read(reader, file)) {
        check(second, 1, "second read");
        check(third, 1, "third read");
        for (String column : new String[] {"b0", "s0", "b1", "b2", "s1", "s2"}) {
          assertNotEquals(data(first, column), data(second, column), column + ": the first read converted its own");
          assertEquals(data(second, column), data(third, column), column + ": later reads share the kept buffers");
          assertEquals("r--", permissions(data(second, column)), column + ": kept buffers are read-only");
        }
        assertEquals("r--", permissions(second.getVector("s0").getOffsetBuffer().memoryAddress()));
        // Each read's validity bitmaps are its own: nulls set in one read's columns are not in another's.
        ((org.apache.arrow.vector.BitVector) second.getVector("b1")).setNull(5);
        ((org.apache.arrow.vector.VarCharVector) second.getVector("s2")).setNull(6);
        assertTrue(second.getVector("b1").isNull(5) && second.getVector("s2").isNull(6));
        assertEquals(0, third.getVector("b1").getNullCount() + third.getVector("s2").getNullCount());
      }
    }
    assertEquals(1, KeptConversions.SHARED.pieces(), "converted once");

    // Rewritten in place with another frame of the same sizes, its modification time put back.
    BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
    byte[] other = Files.readAllBytes(tmp.resolve("k2.npz"));
    assertEquals(before.size(), other.length, "StaticFrame wrote frames of the same size");
    Files.write(file, other);
    Files.setLastModifiedTime(file, before.lastModifiedTime());
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot rewritten = read(reader, file)) {
        check(rewritten, 2, "rewritten in place, read " + pass);
      }
    }
    // Replaced by a rename.
    Files.move(tmp.resolve("k3.npz"), file, StandardCopyOption.REPLACE_EXISTING);
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot replaced = read(reader, file)) {
        check(replaced, 3, "replaced, read " + pass);
      }
    }
    assertTrue(KeptConversions.SHARED.pieces() <= 3);
  }

  /**
   * StaticFrame's NPY directory: each column or block a file of its own, named by the file's state (no
   * checksum). Files changed within the last moments are read afresh every time and nothing made of them is
   * kept (a next change in the same clock tick could leave their state as it was); once settled, a frame
   * read again shares its conversions; each file rewritten in place with its modification time put back, or
   * replaced, reads its new values.
   */
  @Test
  void anNpyDirectoryFrameReadAgainSharesItsConversionsOnceItsFilesSettle() throws IOException {
    writeFrames("to_npy", "");
    Path dir = NpyDirectories.copy(tmp.resolve("k1"), tmp.resolve("frame"));
    FrameReader reader = new FrameReader(memory.allocator());
    KeptConversions.SHARED.clear();
    FileStates.restoreWindow(); // the writeback window: the files stay unsettled however slowly this runs
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot fresh = NpyDirectories.read(reader, dir)) {
        check(fresh, 1, "just written, read " + pass);
      }
    }
    assertEquals(0, KeptConversions.SHARED.pieces(), "files changed just now: nothing kept");

    FileStates.useTickWindow();
    FileStates.settle();
    try (VectorSchemaRoot once = NpyDirectories.read(reader, dir)) {
      check(once, 1, "settled, read once");
    }
    try (VectorSchemaRoot again = NpyDirectories.read(reader, dir)) {
      check(again, 1, "settled, read again");
      assertEquals(1, KeptConversions.SHARED.pieces(), "read again: its conversions kept in one piece");
    }
    try (VectorSchemaRoot first = NpyDirectories.read(reader, dir);
        VectorSchemaRoot second = NpyDirectories.read(reader, dir)) {
      check(first, 1, "settled, read a third time");
      check(second, 1, "settled, read a fourth time");
      for (String column : new String[] {"b0", "s0", "b1", "b2", "s1", "s2"}) {
        assertEquals(data(first, column), data(second, column), column + ": later reads share the kept buffers");
        assertEquals("r--", permissions(data(second, column)), column + ": kept buffers are read-only");
      }
    }

    // Every file rewritten in place with the next frame's bytes, its modification time put back.
    NpyDirectories.rewriteInPlace(tmp.resolve("k2"), dir);
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot rewritten = NpyDirectories.read(reader, dir)) {
        check(rewritten, 2, "rewritten in place, read " + pass);
      }
    }
    FileStates.settle();
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot rewritten = NpyDirectories.read(reader, dir)) {
        check(rewritten, 2, "rewritten in place and settled, read " + pass);
      }
    }
    for (Path member : NpyDirectories.files(tmp.resolve("k3"))) {
      Files.move(member, dir.resolve(member.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot replaced = NpyDirectories.read(reader, dir)) {
        check(replaced, 3, "replaced, read " + pass);
      }
    }
  }



  /**
   * Big-endian strings (NumPy's {@code >U}) and a frame of no rows, as StaticFrame writes them: read again
   * and again, StaticFrame's values each time; the big-endian column shared once read twice, the empty
   * frame with nothing to keep.
   */
  @Test
  void bigEndianStringsAndEmptyFramesReadTheSameEachTime() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        r = np.arange(5000)
        words = np.array(['b%04d' % (i % 9973) for i in r], dtype='>U5')
        flags = r % 4 == 1
        sf.Frame(sf.TypeBlocks.from_blocks([words, flags]), columns=['s', 'b']).to_npz(sys.argv[1] + '/big.npz')
        sf.Frame(sf.TypeBlocks.from_blocks([words[:0], flags[:0]]), columns=['s', 'b']).to_npz(sys.argv[1] + '/none.npz')
        """, tmp.toString());
    FrameReader reader = new FrameReader(memory.allocator());
    KeptConversions.SHARED.clear();
    long[] shared = new long[3];
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot table = read(reader, tmp.resolve("big.npz"))) {
        assertEquals(5000, table.getRowCount());
        for (int r = 0; r < 5000; r += 11) {
          assertEquals(String.format("b%04d", r % 9973), table.getVector("s").getObject(r).toString(), "s row " + r);
          assertEquals(r % 4 == 1, table.getVector("b").getObject(r), "b row " + r);
        }
        shared[pass] = data(table, "s");
      }
    }
    assertEquals(1, KeptConversions.SHARED.pieces(), "kept on the second read");
    assertNotEquals(shared[0], shared[2]);
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot table = read(reader, tmp.resolve("none.npz"))) {
        assertEquals(0, table.getRowCount());
        assertEquals(2, table.getFieldVectors().size());
      }
    }
    assertEquals(1, KeptConversions.SHARED.pieces(), "no rows: nothing to keep");
  }

  @Test
  void theBoundsHold() throws IOException {
    writeFrames();
    KeptConversions small = new KeptConversions(4 << 20, 2);
    FrameReader reader = new FrameReader(memory.allocator());
    for (int k = 1; k <= 3; k++) {
      try (VectorSchemaRoot table = read(reader, tmp.resolve("k" + k + ".npz"))) {
        java.util.List<KeptConversions.Key> keys = new java.util.ArrayList<>();
        java.util.List<FieldVector> vectors = new java.util.ArrayList<>();
        for (String column : new String[] {"b0", "s0"}) {
          keys.add(new KeptConversions.Key("k" + k + column, "x", table.getVector(column).getField().getType()));
          vectors.add(table.getVector(column));
        }
        small.keep(keys, vectors, "test");
        assertTrue(small.pieces() <= 2, "at most two pieces");
        assertTrue(small.bytes() <= 4 << 20);
      }
    }
    assertEquals(2, small.pieces());
    small.clear();
    assertEquals(0, small.bytes());
  }

}
