package io.arrownpz.bridge.parquet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.fuzz.FuzzInputs;
import java.util.Map;

/**
 * The Parquet footer rewriter (the Thrift compact-protocol walk that adds our metadata, marks times of day
 * local and drops row groups). It only ever sees footers Arrow C++ just wrote, but a corrupt one must still
 * be an IllegalArgumentException, never a hang, an overflow or a wrong write.
 */
class ParquetFooterFuzzTest {
  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void footer(byte[] data) throws Exception {
    FuzzInputs.timed(() -> rewrite(data));
  }

  private static void rewrite(byte[] data) {
    try {
      ParquetFooter.rewrite(data, Map.of("pandas", "{}"));
    } catch (IllegalArgumentException documented) {
      // a footer we cannot walk
    }
  }
}
