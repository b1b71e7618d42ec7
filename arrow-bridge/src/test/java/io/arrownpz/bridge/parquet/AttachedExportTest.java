package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.TableReader;
import io.arrownpz.testing.AllocatorExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrow C++'s Parquet writer gives each batch back from threads of its own; through Arrow Java's C data
 * callbacks alone, each column's release attached a thread to the JVM and detached it (a thread started
 * per column per batch). Through {@link AttachedExport} the writer's threads stay attached: a wide table in
 * many batches starts a handful of threads, every buffer is given back, and every value is written.
 */
class AttachedExportTest {
  private static final int COLUMNS = 1_500;
  private static final int ROWS = 64;

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void aWideTableInManyBatchesStartsNoThreadPerColumn() throws IOException {
    try (VectorSchemaRoot table = wideTable()) {
      write(table, tmp.resolve("warm.parquet")); // the writer's thread pool started, whatever it holds
      long before = threadsMadeSoFar();
      Path path = tmp.resolve("wide.parquet");
      write(table, path);
      long started = threadsMadeSoFar() - before;
      // 1,500 columns in 4 batches: 6,000 releases; without the attached threads, as many threads made.
      assertTrue(started < 100, started + " threads made for one write");
      try (VectorSchemaRoot back = ParquetFiles.read(path, memory.allocator())) {
        assertEquals(ROWS, back.getRowCount());
        assertEquals(COLUMNS, back.getFieldVectors().size());
        for (int c = 0; c < COLUMNS; c += 7) {
          BigIntVector column = (BigIntVector) back.getVector(c);
          for (int r = 0; r < ROWS; r++) {
            assertEquals((long) c * ROWS + r, column.get(r), "column " + c + " row " + r);
          }
        }
      }
    }
  }

  /**
   * Thread ids are handed out in order as threads are made, native threads attaching to the JVM included:
   * the id of a thread made now counts those made before it.
   */
  private static long threadsMadeSoFar() {
    return new Thread(() -> {}).getId();
  }

  private void write(VectorSchemaRoot table, Path path) throws IOException {
    try (TableReader batches = new TableReader(table, ROWS / 4, memory.allocator())) {
      ParquetFiles.write(batches, path, memory.allocator(), ParquetCompression.NONE);
    }
  }

  private VectorSchemaRoot wideTable() {
    List<Field> fields = new ArrayList<>();
    for (int c = 0; c < COLUMNS; c++) {
      fields.add(Field.notNullable("c" + c, new ArrowType.Int(64, true)));
    }
    VectorSchemaRoot table = VectorSchemaRoot.create(new Schema(fields), memory.allocator());
    table.allocateNew();
    for (int c = 0; c < COLUMNS; c++) {
      BigIntVector column = (BigIntVector) table.getVector(c);
      for (int r = 0; r < ROWS; r++) {
        column.set(r, (long) c * ROWS + r);
      }
      column.setValueCount(ROWS);
    }
    table.setRowCount(ROWS);
    return table;
  }
}
