package io.arrownpz.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.NumpyTables;
import io.arrownpz.ReadOptions;
import io.arrownpz.internal.memory.BackgroundWork;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owned cache keeps mappings of files NumPy wrote, reuses them while the path names the same file of
 * the same size, and maps again after any other change; what it holds is bounded, counted, and let go on
 * close, and a read without it leaves nothing of the file mapped once its table is closed.
 */
class ReadCacheTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private Path npy;
  private Path npz;

  /** A float64 .npy and a two-column NPZ of 100,000 rows (800 KB a column), values i * scale. */
  private void write(String scale) throws Exception {
    PythonPeer.run("""
        import sys, numpy as np
        d, k = sys.argv[1], float(sys.argv[2])
        np.save(d + '/a.npy', np.arange(100_000, dtype=np.float64) * k)
        np.savez(d + '/t.npz', x=np.arange(100_000, dtype=np.float64) * k, y=np.ones(100_000) * k)
        """, tmp.toString(), scale);
  }

  @BeforeEach
  void files() throws Exception {
    PythonPeer.require("numpy");
    npy = tmp.resolve("a.npy");
    npz = tmp.resolve("t.npz");
    write("1");
  }

  private static double last(Path file, ReadCache cache, AllocatorExtension memory, String column) throws Exception {
    try (VectorSchemaRoot t = NumpyTables.read(file, memory.allocator(), ReadOptions.DEFAULTS.withCache(cache))) {
      Float8Vector v = (Float8Vector) t.getVector(column);
      return v.get(v.getValueCount() - 1);
    }
  }

  @Test
  void aRereadOfTheSameFileUsesItsKeptMapping() throws Exception {
    try (ReadCache cache = ReadCache.builder().build()) {
      for (int i = 0; i < 3; i++) {
        assertEquals(99_999.0, last(npy, cache, memory, "a"));
        assertEquals(1.0, last(npz, cache, memory, "y"));
      }
      ReadCache.Stats s = cache.stats();
      assertEquals(2, s.misses(), s.toString());
      assertEquals(4, s.hits(), s.toString());
      assertEquals(2, s.files());
      assertEquals(Files.size(npy) + Files.size(npz), s.bytesHeld());
    }
  }

  @Test
  void aFileReplacedByAnotherOfTheSameSizeIsMappedAgain() throws Exception {
    try (ReadCache cache = ReadCache.builder().build()) {
      assertEquals(99_999.0, last(npy, cache, memory, "a"));
      assertEquals(99_999.0, last(npz, cache, memory, "x"));
      Path other = Files.createDirectory(tmp.resolve("other"));
      PythonPeer.run("""
          import sys, numpy as np
          d = sys.argv[1]
          np.save(d + '/a.npy', np.arange(100_000, dtype=np.float64) * 3)
          np.savez(d + '/t.npz', x=np.arange(100_000, dtype=np.float64) * 3, y=np.ones(100_000) * 3)
          """, other.toString());
      assertEquals(Files.size(npy), Files.size(other.resolve("a.npy")));
      Files.move(other.resolve("a.npy"), npy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.move(other.resolve("t.npz"), npz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      assertEquals(299_997.0, last(npy, cache, memory, "a"));
      assertEquals(299_997.0, last(npz, cache, memory, "x"));
      assertEquals(2, cache.stats().changed(), cache.stats().toString());
    }
  }

  @Test
  void aFileRewrittenInPlaceIsReadAsItIsNowThroughTheKeptMapping() throws Exception {
    try (ReadCache cache = ReadCache.builder().build()) {
      assertEquals(99_999.0, last(npy, cache, memory, "a"));
      assertEquals(1.0, last(npz, cache, memory, "y"));
      write("2"); // np.save and np.savez open the same files for writing: same inodes, same sizes
      assertEquals(199_998.0, last(npy, cache, memory, "a"));
      assertEquals(2.0, last(npz, cache, memory, "y"));
      assertEquals(2, cache.stats().hits(), cache.stats().toString());
      assertEquals(0, cache.stats().changed());
    }
  }

  @Test
  void aFileThatChangedSizeIsMappedAgain() throws Exception {
    try (ReadCache cache = ReadCache.builder().build()) {
      assertEquals(99_999.0, last(npy, cache, memory, "a"));
      PythonPeer.run("""
          import sys, numpy as np
          np.save(sys.argv[1], np.arange(50_000, dtype=np.float64) * -1)
          """, npy.toString());
      assertEquals(-49_999.0, last(npy, cache, memory, "a"));
      assertEquals(1, cache.stats().changed());
    }
  }

  @Test
  void itHoldsNoMoreThanItsBoundAndTablesOutliveWhatItLetsGo() throws Exception {
    long npySize = Files.size(npy);
    try (ReadCache cache = ReadCache.builder().maxBytes(npySize).build()) {
      try (VectorSchemaRoot held = NumpyTables.read(npy, memory.allocator(), ReadOptions.DEFAULTS.withCache(cache))) {
        assertEquals(1.0, last(npz, cache, memory, "y")); // larger than the bound: not kept
        assertEquals(1, cache.stats().files());
        Path copy = Files.copy(npy, tmp.resolve("b.npy"));
        assertEquals(99_999.0, last(copy, cache, memory, "b")); // pushes a.npy out
        ReadCache.Stats s = cache.stats();
        assertEquals(1, s.evicted(), s.toString());
        assertEquals(npySize, s.bytesHeld());
        Float8Vector a = (Float8Vector) held.getVector("a");
        assertEquals(99_999.0, a.get(99_999), "a table read before its mapping was let go");
      }
    }
  }

  @Test
  void closingTheCacheAndTheTablesLeavesNothingOfTheFileMapped() throws Exception {
    ReadCache cache = ReadCache.builder().build();
    VectorSchemaRoot table = NumpyTables.read(npz, memory.allocator(), ReadOptions.DEFAULTS.withCache(cache));
    assertTrue(mapped(npz), "the table's columns are views of the file");
    cache.close();
    assertTrue(mapped(npz), "the table holds its mapping after the cache let it go");
    table.close();
    assertFalse(mappedOnceIdle(npz), "nothing of the file stays mapped");
    assertEquals(0, cache.stats().files());
    assertEquals(1.0, last(npz, cache, memory, "y"));
    assertEquals(0, cache.stats().files(), "a closed cache keeps nothing");
  }

  @Test
  void aReadWithoutACacheLeavesNothingOfTheFileMappedOnceClosed() throws Exception {
    for (Path file : List.of(npy, npz)) {
      VectorSchemaRoot table = NumpyTables.read(file, memory.allocator());
      assertTrue(mapped(file), file + " is read as views of the file");
      table.close();
      assertFalse(mappedOnceIdle(file), file + ": nothing of it stays mapped");
    }
  }

  private static boolean mappedOnceIdle(Path file) throws Exception {
    assertTrue(BackgroundWork.awaitIdle(10_000), "mappings handed to the background were taken down");
    return mapped(file);
  }

  /** Whether /proc/self/maps shows a mapping of {@code file}. */
  private static boolean mapped(Path file) throws Exception {
    String real = file.toRealPath().toString();
    return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.endsWith(" " + real));
  }
}
