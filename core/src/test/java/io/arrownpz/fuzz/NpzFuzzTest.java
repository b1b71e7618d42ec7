package io.arrownpz.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.NumpyTables;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * NPZ archives of every layout (plain with masks, packed events, StaticFrame frames): the ZIP directory and
 * local headers, DEFLATE members, frame and packed metadata. Described, read, every value read.
 */
class NpzFuzzTest {
  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void npz(byte[] data) throws Exception {
    // Compressed members may expand: a fixed allowance on top of the archive's size.
    FuzzInputs.check(data, "fuzz.npz", 64 << 20, 16, (file, allocator) -> {
      NumpyTables.describe(file);
      try (VectorSchemaRoot table = NumpyTables.read(file, allocator)) {
        FuzzInputs.touch(table);
      }
    });
  }
}
