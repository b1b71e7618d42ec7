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

  @Test
  void sumsAColumnAndWritesFeather() throws Exception {
    Path npz = tmp.resolve("prices.npz");
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
