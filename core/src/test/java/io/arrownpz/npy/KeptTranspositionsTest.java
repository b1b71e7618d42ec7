package io.arrownpz.npy;

import static io.arrownpz.testing.ProcessMemory.permissions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameSource;
import io.arrownpz.frame.NpyDirectorySource;
import io.arrownpz.frame.NpzFrameSource;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
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

  private static final int ROWS = 6_000;
  private static final int COLUMNS = 8;

  /** Frames of one float and one int C-order block (384 KB each), values offset by k. */
  private void writeFrames() throws IOException {
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
            sf.Frame(sf.TypeBlocks.from_blocks(blocks), columns=columns).to_npz(sys.argv[1] + '/k%d.npz' % k)
        """, tmp.toString());
  }

  @Test
  void aFrameReadAgainMapsItsKeptCopiesAndReadsTheFilesCurrentValues() throws IOException {
    writeFrames();
    Path file = tmp.resolve("frame.npz");
    Files.copy(tmp.resolve("k1.npz"), file);
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
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        rows, n = 6000, 8
        r = np.arange(rows)[:, None]
        c = np.arange(n)[None, :]
        for k in (1, 2, 3):
            blocks = [(r * n + c) / 4.0 + k, (r * n + c) * 5 + k]
            columns = ['f%d' % i for i in range(n)] + ['i%d' % i for i in range(n)]
            sf.Frame(sf.TypeBlocks.from_blocks(blocks), columns=columns).to_npy(sys.argv[1] + '/k%d' % k)
        """, tmp.toString());
    Path dir = tmp.resolve("frame");
    Files.createDirectory(dir);
    for (Path member : list(tmp.resolve("k1"))) {
      Files.copy(member, dir.resolve(member.getFileName()));
    }
    FrameReader reader = new FrameReader(memory.allocator());
    KeptTranspositions.SHARED.clear();

    try (VectorSchemaRoot first = readDirectory(reader, dir)) {
      check(first, 1, "first read");
      assertEquals(2, KeptTranspositions.SHARED.size(), "both blocks kept");
      long f0 = first.getVector("f0").getDataBuffer().memoryAddress();
      assertEquals("r--", permissions(f0), "a kept copy is read-only");
      try (VectorSchemaRoot second = readDirectory(reader, dir)) {
        check(second, 1, "second read");
        assertEquals(f0, second.getVector("f0").getDataBuffer().memoryAddress(), "the first read's copy");
        assertEquals(first.getVector("i7").getDataBuffer().memoryAddress(),
            second.getVector("i7").getDataBuffer().memoryAddress(), "the first read's copy");
      }
    }
    assertEquals(2, KeptTranspositions.SHARED.size(), "the copies made once");

    // Every file rewritten in place with the next frame's bytes (the same sizes), its modification time put back.
    for (Path member : list(tmp.resolve("k2"))) {
      Path target = dir.resolve(member.getFileName());
      BasicFileAttributes before = Files.readAttributes(target, BasicFileAttributes.class);
      byte[] other = Files.readAllBytes(member);
      assertEquals(before.size(), other.length, "StaticFrame wrote files of the same size");
      Files.write(target, other);
      Files.setLastModifiedTime(target, before.lastModifiedTime());
    }
    try (VectorSchemaRoot rewritten = readDirectory(reader, dir)) {
      check(rewritten, 2, "rewritten in place");
    }
    // Replaced file by file, by renames.
    for (Path member : list(tmp.resolve("k3"))) {
      Files.move(member, dir.resolve(member.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    try (VectorSchemaRoot replaced = readDirectory(reader, dir)) {
      check(replaced, 3, "replaced");
    }
  }

  private static java.util.List<Path> list(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  private static VectorSchemaRoot readDirectory(FrameReader reader, Path dir) throws IOException {
    try (FrameSource source = new NpyDirectorySource(dir)) {
      return reader.read(source);
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

  @Test
  void windowsAndCopiesTooSmallOrTooLargeAreNotKept() throws IOException {
    writeFrames();
    KeptTranspositions bounded = new KeptTranspositions(1 << 20, 64);
    assertTrue(!bounded.keeps(KeptTranspositions.MIN_BYTES - 1), "too small");
    assertTrue(!bounded.keeps((1 << 18) + 1), "over a quarter of the bound");
    assertTrue(bounded.keeps(1 << 18));

    KeptTranspositions.SHARED.clear();
    FrameReader reader = new FrameReader(memory.allocator());
    try (FrameSource source = NpzFrameSource.open(tmp.resolve("k1.npz"));
        VectorSchemaRoot window = reader.read(source, 100, 2_000)) {
      assertEquals(2_000, window.getRowCount());
      for (int r = 0; r < 2_000; r += 13) {
        long cell = (100L + r) * COLUMNS + 5;
        assertEquals(cell / 4.0 + 1, window.getVector("f5").getObject(r));
        assertEquals(cell * 5 + 1, window.getVector("i5").getObject(r));
      }
    }
    assertEquals(0, KeptTranspositions.SHARED.size(), "a window is transposed for itself");
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
