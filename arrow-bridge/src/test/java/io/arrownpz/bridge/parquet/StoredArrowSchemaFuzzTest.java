package io.arrownpz.bridge.parquet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.arrownpz.fuzz.FuzzInputs;

/**
 * The Arrow schema stored in a Parquet footer ({@code ARROW:schema}), read to name a column Arrow C++
 * refuses. The footer is the file's, so anything may be there: a read must end in a schema or null,
 * never an error escaping, a hang or an allocation the footer's own size does not bound (the JVM of the
 * fuzzing round runs with a small heap).
 */
class StoredArrowSchemaFuzzTest {
  @FuzzTest(maxDuration = FuzzInputs.ROUND)
  void storedSchema(byte[] data) throws Exception {
    FuzzInputs.timed(() -> StoredArrowSchema.storedSchemaOf(data));
  }
}
