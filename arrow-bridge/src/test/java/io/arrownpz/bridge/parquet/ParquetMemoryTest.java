package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing Parquet through the native dataset writer gives back every buffer it was lent, and is never
 * lent more than a bounded amount at once, however fast the source is.
 */
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

  @Test
  void aFastSourceIsHandedOverABoundedAmountAtATime() throws IOException {
    int batches = 320; // 1 MiB each: five times what the writer may hold
    try (BufferAllocator child = memory.allocator().newChildAllocator("source", 0, Long.MAX_VALUE)) {
      try (CountingReader source = new CountingReader(child, batches)) {
        ParquetFiles.write(source, tmp.resolve("counting.parquet"), child, ParquetCompression.NONE);
      }
      long peak = child.getPeakMemoryAllocation();
      assertTrue(peak <= ExportReader.LENT_BYTES + (8 << 20), "peak " + (peak >> 20) + " MiB for a 320 MiB source");
      assertEquals(0, child.getAllocatedMemory());
      try (VectorSchemaRoot back = ParquetFiles.read(tmp.resolve("counting.parquet"), child)) {
        assertEquals((long) batches * CountingReader.ROWS, back.getRowCount());
        Float8Vector values = (Float8Vector) back.getVector(0);
        for (int i = 0; i < back.getRowCount(); i += 9_973) {
          assertEquals(i, values.get(i));
        }
      }
    }
  }

  /**
   * Under a limited allocator, batches of a quarter of it are not held back: the writer keeps the last two it
   * was given until the next comes, and waiting for it to give them back waited out a 2 s stall a batch.
   */
  @Test
  @org.junit.jupiter.api.Timeout(30) // 16 stalls took 34 s; the write takes about 2
  void batchesOfAQuarterOfALimitedAllocatorGoStraightThrough() throws IOException {
    int batches = 16;
    int rows = 1 << 20; // 8 MiB a batch
    try (Float8Vector x = new Float8Vector("x", memory.allocator())) {
      x.allocateNew(batches * rows);
      for (int i = 0; i < batches * rows; i++) {
        x.set(i, i);
      }
      x.setValueCount(batches * rows);
      try (VectorSchemaRoot table = VectorSchemaRoot.of(x);
          BufferAllocator limited = memory.allocator().newChildAllocator("limited", 0, 32L << 20)) {
        try (io.arrownpz.bridge.TableReader source = new io.arrownpz.bridge.TableReader(table, rows, limited)) {
          ParquetFiles.write(source, tmp.resolve("limited.parquet"), limited, ParquetCompression.NONE);
        }
        assertEquals(0, limited.getAllocatedMemory());
      }
    }
    try (VectorSchemaRoot back = ParquetFiles.read(tmp.resolve("limited.parquet"), memory.allocator())) {
      assertEquals(batches * rows, back.getRowCount());
      assertEquals(batches * rows - 1.0, ((Float8Vector) back.getVector(0)).get(back.getRowCount() - 1));
    }
  }

  /** Batches of one float64 column counting up from 0, made as fast as they are asked for. */
  private static final class CountingReader extends ArrowReader {
    static final int ROWS = 1 << 17;
    private final int batches;
    private int made;

    CountingReader(BufferAllocator allocator, int batches) {
      super(allocator);
      this.batches = batches;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
      if (made == batches) {
        return false;
      }
      Float8Vector values = (Float8Vector) getVectorSchemaRoot().getVector(0);
      values.allocateNew(ROWS);
      long first = (long) made * ROWS;
      for (int i = 0; i < ROWS; i++) {
        values.set(i, first + i);
      }
      getVectorSchemaRoot().setRowCount(ROWS);
      made++;
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {}

    @Override
    protected Schema readSchema() {
      return new Schema(List.of(Field.notNullable("value", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))));
    }
  }
}
