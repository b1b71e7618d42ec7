package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.NumpyTables;
import io.arrownpz.ReadOptions;
import io.arrownpz.cache.ReadCache;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a table while another thread still reads it is the caller's bug, but never a crash: the reader
 * gets an exception, old values or zeros. Checked where it crashed: a column of a StaticFrame frame's
 * C-order block of 1.4M x 4 float64 (45 MB, transposed on reading), as NPZ and as NPY directory, 40
 * rounds each of a reader summing the column while the table is closed under it. In a JVM of its own, so
 * that a crash fails this test rather than the test run.
 */
class CloseWhileReadingTest {
  @TempDir Path tmp;

  @Test
  void aTableClosedUnderAReaderNeverEndsTheJvm() throws Exception {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        block = np.arange(1_400_000 * 4, dtype=np.float64).reshape(1_400_000, 4)
        f = sf.Frame(block, columns=['a', 'b', 'c', 'd'])
        f.to_npz(sys.argv[1] + '/big.npz')
        f.to_npy(sys.argv[1] + '/big_dir')
        """, tmp.toString());
    Path log = tmp.resolve("race.log");
    Process race = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-XX:ErrorFile=" + tmp.resolve("hs_err.log"),
        "-cp", System.getProperty("java.class.path"), Race.class.getName(),
        tmp.resolve("big.npz").toString(), tmp.resolve("big_dir").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(race.waitFor(300, TimeUnit.SECONDS), "the race finished");
    String out = Files.readString(log);
    assertEquals(0, race.exitValue(), out);
    assertEquals(List.of("big.npz: 40 rounds", "big.npz: 40 rounds through an owned cache", "big_dir: 40 rounds",
        "big_dir: 40 rounds through an owned cache"), out.strip().lines().toList(), out);
  }

  /**
   * The race, in its own JVM: read, start a reader of column c, close the table under it; 40 times a file,
   * then 40 times more through a cache that keeps the file's mapping between the rounds.
   */
  public static final class Race {
    public static void main(String[] args) throws Exception {
      try (RootAllocator allocator = new RootAllocator()) {
        for (String file : args) {
          race(Path.of(file), allocator, ReadOptions.DEFAULTS);
          System.out.println(Path.of(file).getFileName() + ": 40 rounds");
          try (ReadCache cache = ReadCache.builder().build()) {
            race(Path.of(file), allocator, ReadOptions.DEFAULTS.withCache(cache));
          }
          System.out.println(Path.of(file).getFileName() + ": 40 rounds through an owned cache");
        }
      }
    }

    private static void race(Path file, RootAllocator allocator, ReadOptions options) throws Exception {
      for (int round = 0; round < 40; round++) {
        VectorSchemaRoot table = NumpyTables.read(file, allocator, options);
        Float8Vector c = (Float8Vector) table.getVector("c");
        int n = c.getValueCount();
        Thread reader = new Thread(() -> {
          double sum = 0;
          try {
            for (int pass = 0; pass < 20; pass++) {
              for (int i = 0; i < n; i++) {
                sum += c.get(i);
              }
            }
          } catch (RuntimeException closed) {
            // what a late reader may get
          }
          if (sum == -1) {
            System.out.println(sum); // keeps the loop from being optimized away
          }
        });
        reader.start();
        Thread.sleep(round % 5);
        table.close();
        reader.join();
      }
    }
  }
}
