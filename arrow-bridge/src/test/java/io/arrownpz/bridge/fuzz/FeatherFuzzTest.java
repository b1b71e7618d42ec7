package io.arrownpz.bridge.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.fuzz.FuzzInputs;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Feather (Arrow IPC files): our mapped reader's footer, block and batch checks, decompression,
 * dictionaries. Described, read whole, every value read.
 */
class FeatherFuzzTest {
  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void feather(byte[] data) throws Exception {
    FuzzInputs.check(data, "fuzz.feather", 64 << 20, 16, (file, allocator) -> {
      Converter converter = new Converter(allocator);
      converter.describe(file, FileFormat.FEATHER);
      try (VectorSchemaRoot table = converter.read(file, FileFormat.FEATHER, ConvertOptions.DEFAULTS)) {
        FuzzInputs.touch(table);
      }
    });
  }
}
