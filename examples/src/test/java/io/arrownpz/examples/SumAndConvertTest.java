package io.arrownpz.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.NumpyTables;
import io.arrownpz.bridge.ipc.FeatherFiles;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example run as the build's check: the sum it prints and the Feather file it writes. */
class SumAndConvertTest {
  @TempDir Path tmp;

  /**
   * The same program as a module on the module path, where only exported packages are visible: the
   * descriptors of core and the bridge hold (what the example needs is exported, the services and JNA's
   * binding resolve), and it prints the sum.
   */
  @Test
  void runsOnTheModulePath() throws Exception {
    Path npz = tmp.resolve("prices.npz");
    writePrices(npz);
    String modulePath = System.getProperty("examples.classes") + java.io.File.pathSeparator
        + java.nio.file.Files.readString(Path.of(System.getProperty("examples.runtime"))).strip();
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=org.apache.arrow.memory.core", "--module-path", modulePath,
        "--add-modules", "org.apache.arrow.memory.unsafe",
        "--module", "io.arrownpz.examples/io.arrownpz.examples.SumAndConvert",
        npz.toString(), "price", tmp.resolve("m.feather").toString())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertEquals(true, p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "timed out");
    String printed = java.nio.file.Files.readString(out);
    assertEquals(0, p.exitValue(), printed + java.nio.file.Files.readString(err));
    assertEquals("price sums to 249750.0", printed.strip());
  }

  private static void writePrices(Path npz) throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
         Float8Vector price = new Float8Vector("price", allocator);
         BigIntVector id = new BigIntVector("id", allocator)) {
      price.allocateNew(1000);
      id.allocateNew(1000);
      for (int i = 0; i < 1000; i++) {
        price.set(i, i * 0.5);
        id.set(i, i);
      }
      price.setValueCount(1000);
      id.setValueCount(1000);
      try (VectorSchemaRoot table = VectorSchemaRoot.of(id, price)) {
        NumpyTables.write(table, npz);
      }
    }
  }

  @Test
  void sumsAColumnAndWritesFeather() throws Exception {
    Path npz = tmp.resolve("prices.npz");
    writePrices(npz);
    Path feather = tmp.resolve("prices.feather");
    SumAndConvert.main(new String[] {npz.toString(), "price", feather.toString()});
    assertEquals(0.5 * 999 * 1000 / 2, SumAndConvert.run(npz, "price", tmp.resolve("again.feather")));
    try (BufferAllocator allocator = new RootAllocator();
         VectorSchemaRoot back = FeatherFiles.read(feather, allocator)) {
      assertEquals(1000, back.getRowCount());
      assertEquals(499.5, ((Float8Vector) back.getVector("price")).get(999));
    }
  }
}
