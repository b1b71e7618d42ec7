package io.arrownpz.frame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.fuzz.FuzzInputs;

/**
 * A frame's {@code __meta__.json}: names (tuples, dates, numbers), index classes and depths. A bad one is an
 * IllegalArgumentException, which the frame reader reports as a bad file naming the member.
 */
class FrameMetaFuzzTest {
  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void meta(byte[] data) throws Exception {
    FuzzInputs.timed(() -> parse(data));
  }

  private static void parse(byte[] data) {
    try {
      FrameMeta meta = FrameMeta.parse(data);
      meta.blockCount();
      meta.indexDepth();
      meta.columnsDepth();
    } catch (IllegalArgumentException documented) {
      // the answer to bad metadata
    }
  }
}
