package io.arrownpz.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.NumpyTables;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Whole .npy files: described, read as a table (mapped where the layout allows) and every value read. */
class NpyFileFuzzTest {
  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void npyFile(byte[] data) throws Exception {
    // An .npy cannot hold more than it says: the file (mapped) and a few times its size in decoded form.
    FuzzInputs.check(data, "fuzz.npy", 1 << 20, 16, (file, allocator) -> {
      NumpyTables.describe(file);
      try (VectorSchemaRoot table = NumpyTables.read(file, allocator)) {
        FuzzInputs.touch(table);
      }
    });
  }
}
