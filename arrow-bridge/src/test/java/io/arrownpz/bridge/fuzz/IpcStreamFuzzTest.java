package io.arrownpz.bridge.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.fuzz.FuzzInputs;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Arrow IPC streams ({@code .arrows}, LZ4 and ZSTD compressed too): our message reader and its length
 * checks, batch checks, decompression and byte-order swapping. Described, read whole, every value read.
 */
class IpcStreamFuzzTest {
  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void stream(byte[] data) throws Exception {
    // Compressed buffers may expand (bounded per buffer by the codecs): a fixed allowance on top.
    FuzzInputs.check(data, "fuzz.arrows", 64 << 20, 16, (file, allocator) -> {
      Converter converter = new Converter(allocator);
      converter.describe(file, FileFormat.IPC_STREAM);
      try (VectorSchemaRoot table = converter.read(file, FileFormat.IPC_STREAM, ConvertOptions.DEFAULTS)) {
        FuzzInputs.touch(table);
      }
    });
  }
}
