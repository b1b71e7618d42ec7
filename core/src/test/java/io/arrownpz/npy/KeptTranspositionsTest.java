package io.arrownpz.npy;

import static io.arrownpz.testing.ProcessMemory.permissions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.NumpyTables;
import io.arrownpz.ReadOptions;
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
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StaticFrame frame's C-order blocks, read again from the same unchanged file, share the transposed copies
 * made by the first read: the values are StaticFrame's each time, the copies are read-only memory (as a
 * mapped file is), and a file rewritten in place (same size, its modification time put back) or replaced
 * reads its new values.
 */
class KeptTranspositionsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;
  // Files here are read moments after they are written: named once they outlast the clock's tick.
  @RegisterExtension final io.arrownpz.testing.TickWindow tickWindow = new io.arrownpz.testing.TickWindow();

  private static final int ROWS = 6_000;
  private static final int COLUMNS = 8;

  /** Frames of one float and one int C-order block (384 KB each), values offset by k: k1.npz, k2.npz, k3.npz. */
  private void writeFrames() throws IOException {
    writeFrames("to_npz", ".npz");
  }

  /** The same frames written by StaticFrame's {@code method} to {@code k1 + suffix}, ... */
  private void writeFrames(String method, String suffix) throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        rows, n = 6000, 8
        r = np.arange(rows)[:, None]
        c = np.arange(n)[None, :]
        for k in (1, 2, 3):
            blocks = [(r * n + c) / 4.0 + k, (r * n + c) * 5 + k]
            assert all(b.flags.c_contiguous and b.ndim == 2 for b in blocks)
            columns = ['f%d' % i for i in range(n)] + ['i%d' % i for i in range(n)]
            frame = sf.Frame(sf.TypeBlocks.from_blocks(blocks), columns=columns)
            getattr(frame, sys.argv[2])(sys.argv[1] + '/k%d' % k + sys.argv[3])
        """, tmp.toString(), method, suffix);
  }

  @Test
  void aFrameReadAgainMapsItsKeptCopiesAndReadsTheFilesCurrentValues() throws IOException {
    writeFrames();
    Path file = tmp.resolve("frame.npz");
    Files.copy(tmp.resolve("k1.npz"), file);
    FileStates.settle();
    FrameReader reader = new FrameReader(memory.allocator());
    KeptTranspositions.SHARED.clear();

    try (VectorSchemaRoot first = read(reader, file)) {
      check(first, 1, "first read");
      assertEquals(2, KeptTranspositions.SHARED.size(), "both blocks kept");
      long f0 = first.getVector("f0").getDataBuffer().memoryAddress();
      long i3 = first.getVector("i3").getDataBuffer().memoryAddress();
      assertEquals("r--", permissions(f0), "a kept copy is read-only");
      try (VectorSchemaRoot second = read(reader, file)) {
        check(second, 1, "second read");
        assertEquals(f0, second.getVector("f0").getDataBuffer().memoryAddress(), "the first read's copy");
        assertEquals(i3, second.getVector("i3").getDataBuffer().memoryAddress(), "the first read's copy");
      }
    }
    try (VectorSchemaRoot third = read(reader, file)) {
      check(third, 1, "third read, the first two closed");
    }
    assertEquals(2, KeptTranspositions.SHARED.size(), "the copies made once");

    // Rewritten in place with another frame of the same sizes, its modification time put back.
    BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
    byte[] other = Files.readAllBytes(tmp.resolve("k2.npz"));
    assertEquals(before.size(), other.length, "StaticFrame wrote frames of the same size");
    Files.write(file, other);
    Files.setLastModifiedTime(file, before.lastModifiedTime());
    try (VectorSchemaRoot rewritten = read(reader, file)) {
      check(rewritten, 2, "rewritten in place");
    }
    // Replaced by a rename.
    Files.move(tmp.resolve("k3.npz"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (VectorSchemaRoot replaced = read(reader, file)) {
      check(replaced, 3, "replaced");
    }
  }

  /**
   * StaticFrame's NPY directory keeps each block in a file of its own, with no checksum: what tells a file
   * rewritten in place with its size and modification time put back is its status change time.
   */
  @Test
  void anNpyDirectoryFrameReadAgainSharesItsCopiesAndReadsEachFilesCurrentValues() throws IOException {
    writeFrames("to_npy", "");
    Path dir = NpyDirectories.copy(tmp.resolve("k1"), tmp.resolve("frame"));
    FrameReader reader = new FrameReader(memory.allocator());
    KeptTranspositions.SHARED.clear();
    // Files changed within the writeback window have no state yet (one written through a mapping could
    // still change without their times changing); under it, however slowly this test runs.
    FileStates.restoreWindow();
    try (VectorSchemaRoot fresh = NpyDirectories.read(reader, dir)) {
      check(fresh, 1, "just written");
      assertEquals(0, KeptTranspositions.SHARED.size(), "files changed just now: no copy kept");
    }
    FileStates.useTickWindow();
    FileStates.settle();

    try (VectorSchemaRoot first = NpyDirectories.read(reader, dir)) {
      check(first, 1, "first read");
      assertEquals(2, KeptTranspositions.SHARED.size(), "both blocks kept");
      long f0 = first.getVector("f0").getDataBuffer().memoryAddress();
      assertEquals("r--", permissions(f0), "a kept copy is read-only");
      try (VectorSchemaRoot second = NpyDirectories.read(reader, dir)) {
        check(second, 1, "second read");
        assertEquals(f0, second.getVector("f0").getDataBuffer().memoryAddress(), "the first read's copy");
        assertEquals(first.getVector("i7").getDataBuffer().memoryAddress(),
            second.getVector("i7").getDataBuffer().memoryAddress(), "the first read's copy");
      }
    }
    assertEquals(2, KeptTranspositions.SHARED.size(), "the copies made once");

    // Every file rewritten in place with the next frame's bytes (the same sizes), its modification time put back.
    NpyDirectories.rewriteInPlace(tmp.resolve("k2"), dir);
    try (VectorSchemaRoot rewritten = NpyDirectories.read(reader, dir)) {
      check(rewritten, 2, "rewritten in place");
    }
    // Replaced file by file, by renames.
    for (Path member : NpyDirectories.files(tmp.resolve("k3"))) {
      Files.move(member, dir.resolve(member.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    try (VectorSchemaRoot replaced = NpyDirectories.read(reader, dir)) {
      check(replaced, 3, "replaced");
    }
  }



  @Test
  void manySmallBlocksAreKeptTogether() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        rows, blocks = 40, 300
        r = np.arange(rows)[:, None]
        parts = []
        for b in range(blocks):
            block = r * 1000 + b * 2 + np.arange(2)[None, :]
            parts.append(block.astype(np.float64) if b % 2 == 0 else block.astype(np.int64))
        sf.Frame(sf.TypeBlocks.from_blocks(parts), columns=['c%d' % i for i in range(2 * blocks)]).to_npz(
            sys.argv[1] + '/small.npz')
        """, tmp.toString());
    Path file = tmp.resolve("small.npz");
    FrameReader reader = new FrameReader(memory.allocator());
    KeptTranspositions.SHARED.clear();
    long[] firstAddresses = new long[2];
    for (int pass = 0; pass < 2; pass++) {
      try (VectorSchemaRoot table = read(reader, file)) {
        for (int c = 0; c < 600; c++) {
          for (int r = 0; r < 40; r += 3) {
            Object got = table.getVector("c" + c).getObject(r);
            long want = r * 1000L + c;
            assertEquals(c / 2 % 2 == 0 ? (Object) (double) want : (Object) want, got, "c" + c + " row " + r);
          }
        }
        long a0 = table.getVector("c0").getDataBuffer().memoryAddress();
        long a599 = table.getVector("c599").getDataBuffer().memoryAddress();
        if (pass == 0) {
          firstAddresses[0] = a0;
          firstAddresses[1] = a599;
          assertEquals("r--", permissions(a0), "kept copies are read-only");
        } else {
          assertEquals(firstAddresses[0], a0, "the second read shares the first's copies");
          assertEquals(firstAddresses[1], a599, "the second read shares the first's copies");
        }
      }
    }
    assertEquals(1, KeptTranspositions.SHARED.size(), "300 blocks kept as one copy");
  }

  /** Big-endian C-order blocks (kept raw, swapped into each read's own vectors) and a frame of no rows. */
  @Test
  void bigEndianBlocksAndZeroRowsReadTheSameEachTime() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        rows, n = 6000, 8
        r = np.arange(rows)[:, None]
        c = np.arange(n)[None, :]
        blocks = [((r * n + c) / 4.0 + 1).astype('>f8'), ((r * n + c) * 5 + 1).astype('>i8')]
        columns = ['f%d' % i for i in range(n)] + ['i%d' % i for i in range(n)]
        sf.Frame(sf.TypeBlocks.from_blocks(blocks), columns=columns).to_npz(sys.argv[1] + '/big_endian.npz')
        empty = [np.zeros((0, n), dtype='>f8'), np.zeros((0, n), dtype='<i8')]
        sf.Frame(sf.TypeBlocks.from_blocks(empty), columns=columns).to_npz(sys.argv[1] + '/empty.npz')
        import zipfile
        assert np.load(sys.argv[1] + '/big_endian.npz', allow_pickle=False)['__blocks_0__'].dtype.byteorder == '>'
        """, tmp.toString());
    FrameReader reader = new FrameReader(memory.allocator());
    KeptTranspositions.SHARED.clear();
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot table = read(reader, tmp.resolve("big_endian.npz"))) {
        check(table, 1, "big-endian, read " + pass);
      }
      try (VectorSchemaRoot empty = read(reader, tmp.resolve("empty.npz"))) {
        assertEquals(0, empty.getRowCount());
        assertEquals(16, empty.getFieldVectors().size());
      }
    }
    assertEquals(2, KeptTranspositions.SHARED.size(), "the big-endian blocks kept; the empty ones not");
  }

  /**
   * Describing a frame (its schema and row count, as a Flight service's ListFlights and GetFlightInfo do)
   * transposes no block and keeps nothing: it used to read a first window of one row, which transposed and
   * kept each C-order block whole (all of a 1 GiB frame, on every listing of a new one). The schema is the
   * one the reads give, and reading windows afterwards still makes and uses the kept copies.
   */
  @Test
  void describingAFrameKeepsNoCopyAndItsWindowsStillDo() throws IOException {
    writeFrames();
    Path file = tmp.resolve("k1.npz");
    KeptTranspositions.SHARED.clear();
    NumpyTables.Outline outline = NumpyTables.outline(file, memory.allocator(), ReadOptions.DEFAULTS);
    assertEquals(ROWS, outline.rows());
    assertEquals(0, KeptTranspositions.SHARED.size(), "describing the frame kept a transposed copy");

    try (ArrowReader reader = NumpyTables.openReader(file, memory.allocator(), ReadOptions.DEFAULTS, 2_000)) {
      assertEquals(outline.schema(), reader.getVectorSchemaRoot().getSchema());
      long first = 0;
      while (reader.loadNextBatch()) {
        checkWindow(reader.getVectorSchemaRoot(), first, 2_000);
        first += 2_000;
      }
      assertEquals(ROWS, first);
    }
    assertEquals(2, KeptTranspositions.SHARED.size(), "windows keep their blocks' whole copies");
    try (VectorSchemaRoot whole = read(new FrameReader(memory.allocator()), file)) {
      assertEquals(outline.schema(), whole.getSchema());
    }
  }

  @Test
  void windowsAreViewsOfTheWholeBlocksKeptCopyAndCopiesTooSmallOrTooLargeAreNotKept() throws IOException {
    writeFrames();
    KeptTranspositions bounded = new KeptTranspositions(1 << 20, 64);
    assertTrue(!bounded.keeps(KeptTranspositions.MIN_BYTES - 1), "too small");
    assertTrue(!bounded.keeps((1 << 19) + 1), "over half the bound");
    assertTrue(bounded.keeps(1 << 19));

    KeptTranspositions.SHARED.clear();
    FrameReader reader = new FrameReader(memory.allocator());
    long f5;
    try (FrameSource source = NpzFrameSource.open(tmp.resolve("k1.npz"));
        VectorSchemaRoot window = reader.read(source, 100, 2_000)) {
      checkWindow(window, 100, 2_000);
      assertEquals(2, KeptTranspositions.SHARED.size(), "a window read keeps its blocks' whole copies");
      f5 = window.getVector("f5").getDataBuffer().memoryAddress();
      assertEquals("r--", permissions(f5), "a view of the kept copy");
    }
    try (FrameSource source = NpzFrameSource.open(tmp.resolve("k1.npz"));
        VectorSchemaRoot later = reader.read(source, 2_100, 3_900);
        VectorSchemaRoot whole = reader.read(source)) {
      checkWindow(later, 2_100, 3_900);
      check(whole, 1, "the whole frame after windows");
      assertEquals(whole.getVector("f5").getDataBuffer().memoryAddress() + 2_100 * 8L,
          later.getVector("f5").getDataBuffer().memoryAddress(), "rows 2,100 on of the same copy");
    }
    assertEquals(2, KeptTranspositions.SHARED.size(), "transposed once");

    // Too large to keep: each window is transposed for itself, and nothing is kept.
    long bound = TransposedCopies.bound();
    try {
      TransposedCopies.keepUpTo(KeptTranspositions.MIN_BYTES);
      assertEquals(0, KeptTranspositions.SHARED.size(), "a lower bound lets the copies go");
      try (FrameSource source = NpzFrameSource.open(tmp.resolve("k1.npz"));
          VectorSchemaRoot window = reader.read(source, 100, 2_000)) {
        checkWindow(window, 100, 2_000);
      }
      assertEquals(0, KeptTranspositions.SHARED.size());
    } finally {
      TransposedCopies.keepUpTo(bound);
    }
  }

  /**
   * An archive too large for its mapping to be kept (over 256 MiB: a frame served over Flight, say) still
   * names its members' bytes, by the file's state: windows of its block share one kept copy, and the file
   * rewritten in place with its modification time put back reads its new values.
   */
  @Test
  void windowsOfAnArchiveTooLargeToKeepMappedShareOneCopy() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        rows = 2_100_000  # 16 float64 columns: 268.8 MB, past the 256 MiB of mappings kept
        for k in (1, 2):
            block = np.arange(rows * 16, dtype=np.float64).reshape(rows, 16) + k
            sf.Frame(block, columns=['c%d' % i for i in range(16)]).to_npz(sys.argv[1] + '/big%d.npz' % k)
            del block
        """, tmp.toString());
    Path file = tmp.resolve("big.npz");
    Files.copy(tmp.resolve("big1.npz"), file);
    FileStates.settle();
    long bound = TransposedCopies.bound();
    KeptTranspositions.SHARED.clear();
    try {
      TransposedCopies.keepUpTo(1L << 30);
      FrameReader reader = new FrameReader(memory.allocator());
      long c3;
      try (FrameSource source = NpzFrameSource.open(file);
          VectorSchemaRoot window = reader.read(source, 1_000_000, 5_000)) {
        checkBig(window, 1_000_000, 1);
        c3 = window.getVector("c3").getDataBuffer().memoryAddress();
      }
      assertEquals(1, KeptTranspositions.SHARED.size(), "the block's copy kept");
      try (FrameSource source = NpzFrameSource.open(file);
          VectorSchemaRoot window = reader.read(source, 2_000_000, 5_000)) {
        checkBig(window, 2_000_000, 1);
        assertEquals(c3 + 1_000_000 * 8L, window.getVector("c3").getDataBuffer().memoryAddress(),
            "the same copy, opened again");
      }
      assertEquals(1, KeptTranspositions.SHARED.size());

      BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
      Files.copy(tmp.resolve("big2.npz"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(file, before.lastModifiedTime());
      try (FrameSource source = NpzFrameSource.open(file);
          VectorSchemaRoot window = reader.read(source, 1_000_000, 5_000)) {
        checkBig(window, 1_000_000, 2);
      }
      // Rewritten in place (the same inode), its modification time put back.
      BasicFileAttributes replaced = Files.readAttributes(file, BasicFileAttributes.class);
      try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(file,
          java.nio.file.StandardOpenOption.WRITE);
          java.nio.channels.FileChannel in = java.nio.channels.FileChannel.open(tmp.resolve("big1.npz"))) {
        in.transferTo(0, in.size(), out);
      }
      Files.setLastModifiedTime(file, replaced.lastModifiedTime());
      assertEquals(replaced.fileKey(), Files.readAttributes(file, BasicFileAttributes.class).fileKey());
      try (FrameSource source = NpzFrameSource.open(file);
          VectorSchemaRoot window = reader.read(source, 1_000_000, 5_000)) {
        checkBig(window, 1_000_000, 1);
      }
    } finally {
      TransposedCopies.keepUpTo(bound);
      KeptTranspositions.SHARED.clear();
    }
  }

  private static void checkBig(VectorSchemaRoot window, long first, int k) {
    assertEquals(5_000, window.getRowCount());
    for (int r = 0; r < 5_000; r += 61) {
      for (int c = 0; c < 16; c += 3) {
        assertEquals((first + r) * 16.0 + c + k, window.getVector("c" + c).getObject(r), "c" + c + " row " + (first + r));
      }
    }
  }

  private static void checkWindow(VectorSchemaRoot window, long first, int rows) {
    assertEquals(rows, window.getRowCount());
    for (int r = 0; r < rows; r += 13) {
      for (int c : new int[] {0, 5, 7}) {
        long cell = (first + r) * COLUMNS + c;
        assertEquals(cell / 4.0 + 1, window.getVector("f" + c).getObject(r), "f" + c + " row " + (first + r));
        assertEquals(cell * 5 + 1, window.getVector("i" + c).getObject(r), "i" + c + " row " + (first + r));
      }
    }
  }

  private static VectorSchemaRoot read(FrameReader reader, Path file) throws IOException {
    try (FrameSource source = NpzFrameSource.open(file)) {
      return reader.read(source);
    }
  }

  private static void check(VectorSchemaRoot table, int k, String what) {
    assertEquals(ROWS, table.getRowCount(), what);
    for (int r = 0; r < ROWS; r += 7) {
      for (int c = 0; c < COLUMNS; c++) {
        long cell = (long) r * COLUMNS + c;
        assertEquals(cell / 4.0 + k, table.getVector("f" + c).getObject(r), what + " f" + c + " row " + r);
        assertEquals(cell * 5 + k, table.getVector("i" + c).getObject(r), what + " i" + c + " row " + r);
      }
    }
  }

}
