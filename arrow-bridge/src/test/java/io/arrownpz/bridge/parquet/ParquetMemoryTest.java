package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Writing Parquet through the native dataset writer gives back every buffer it was lent. */
class ParquetMemoryTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void wideUnalignedTablesLeaveNothingBehind() throws IOException {
    for (int round = 0; round < 3; round++) {
      try (BufferAllocator child = memory.allocator().newChildAllocator("round" + round, 0, Long.MAX_VALUE)) {
        new Converter(child).convert(Fixtures.path("npz/many_members.npz"), FileFormat.NPZ,
            tmp.resolve("m" + round + ".parquet"), FileFormat.PARQUET, ConvertOptions.DEFAULTS);
        assertEquals(0, child.getAllocatedMemory(), "round " + round);
      }
    }
  }
}
