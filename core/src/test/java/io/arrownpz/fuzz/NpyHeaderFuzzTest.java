package io.arrownpz.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.BadFileException;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import java.nio.ByteBuffer;

/** Coverage-guided fuzzing of the NPY header parser (magic, lengths, the Python literal, dtypes, shapes). */
class NpyHeaderFuzzTest {
  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void npyHeader(byte[] data) throws Exception {
    FuzzInputs.timed(() -> headerOf(data));
  }

  private static void headerOf(byte[] data) throws Exception {
    try {
      NpyHeaderCodec.read((position, length) -> {
        int from = (int) Math.min(position, data.length);
        int to = (int) Math.min((long) from + length, data.length);
        return ByteBuffer.wrap(data, from, to - from).slice();
      }, data.length, "fuzz.npy", null);
    } catch (BadFileException expected) {
      // the documented answer to a bad header
    }
  }
}
