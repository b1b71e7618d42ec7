package io.arrownpz.bridge.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.TableReader;
import io.arrownpz.bridge.internal.Tables;
import io.arrownpz.testing.AllocatorExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The key columns a partitioned file's batches get: one value, or nulls, for every row of every batch. */
class PartitionColumnsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @Test
  void everyRowOfEveryBatchHoldsTheKeys() throws Exception {
    ArrowType int64 = new ArrowType.Int(64, true);
    List<Field> fields = List.of(Field.nullable("n", int64), Field.nullable("city", ArrowType.Utf8.INSTANCE),
        Field.nullable("none", int64), Field.nullable("nothing", ArrowType.Utf8.INSTANCE),
        Field.nullable("empty", ArrowType.Utf8.INSTANCE));
    PartitionColumns keys = new PartitionColumns(fields, Arrays.asList(-7L, "São Paulo", null, null, ""));
    // 1,000 rows in batches of 300: 300, 300, 300 and 100 rows (a row count changing, then one staying).
    try (IntVector x = new IntVector("x", memory.allocator())) {
      x.allocateNew(1_000);
      for (int i = 0; i < 1_000; i++) {
        x.set(i, i);
      }
      x.setValueCount(1_000);
      try (VectorSchemaRoot table = VectorSchemaRoot.of(x);
          ArrowReader reader = keys.appendedTo(new TableReader(table, 300, memory.allocator()), memory.allocator())) {
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        assertEquals(List.of("x", "n", "city", "none", "nothing", "empty"),
            batch.getSchema().getFields().stream().map(Field::getName).toList());
        List<Integer> rows = new ArrayList<>();
        int seen = 0;
        while (reader.loadNextBatch()) {
          Tables.validate(batch); // buffers as long as the lengths and offsets say
          rows.add(batch.getRowCount());
          for (int r = 0; r < batch.getRowCount(); r++, seen++) {
            assertEquals(seen, batch.getVector("x").getObject(r));
            assertEquals(-7L, batch.getVector("n").getObject(r));
            assertEquals("São Paulo", batch.getVector("city").getObject(r).toString());
            assertEquals(null, batch.getVector("none").getObject(r));
            assertEquals(null, batch.getVector("nothing").getObject(r));
            assertEquals("", batch.getVector("empty").getObject(r).toString());
          }
          assertEquals(0, batch.getVector("n").getNullCount());
          assertEquals(batch.getRowCount(), batch.getVector("nothing").getNullCount());
          assertEquals(0, batch.getVector("empty").getNullCount());
        }
        assertEquals(List.of(300, 300, 300, 100), rows);
      }
      // A file of no rows (pyarrow writes such partitions): one empty batch, its key columns empty too.
      try (VectorSchemaRoot none = VectorSchemaRoot.of(x).slice(0, 0);
          ArrowReader reader = keys.appendedTo(new TableReader(none, memory.allocator()), memory.allocator())) {
        org.junit.jupiter.api.Assertions.assertTrue(reader.loadNextBatch());
        VectorSchemaRoot batch = reader.getVectorSchemaRoot();
        assertEquals(0, batch.getRowCount());
        assertEquals(0, batch.getVector("n").getValueCount());
        Tables.validate(batch);
      }
    }
  }
}
