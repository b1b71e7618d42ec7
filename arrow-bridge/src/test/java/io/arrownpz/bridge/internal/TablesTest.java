package io.arrownpz.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batches joined into one table: every value of every batch, in order, for fixed-width, string, large
 * string and list columns with nulls, empty values and batches of no rows, whatever the batch sizes
 * (the join sizes its vectors once from the batches, so a wrong total would show as a wrong value or
 * a leak).
 */
class TablesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  private static final Schema SCHEMA = new Schema(List.of(
      Field.nullable("n", new ArrowType.Int(64, true)),
      Field.nullable("s", ArrowType.Utf8.INSTANCE),
      Field.nullable("ls", ArrowType.LargeUtf8.INSTANCE),
      new Field("l", FieldType.nullable(ArrowType.List.INSTANCE),
          List.of(Field.nullable("item", new ArrowType.Int(64, true))))));

  @Test
  void batchesOfEverySizeJoinIntoTheirValues() throws IOException {
    Random random = new Random(11);
    int[] sizes = {3, 0, 1000, 1, 65_536, 17, 0, 4096};
    List<Object[]> expected = new ArrayList<>();
    byte[] stream = stream(sizes, random, expected);
    try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), memory.allocator());
         VectorSchemaRoot table = Tables.collect(reader, memory.allocator())) {
      assertEquals(expected.size(), table.getRowCount());
      for (int row = 0; row < expected.size(); row++) {
        Object[] values = expected.get(row);
        for (int c = 0; c < values.length; c++) {
          FieldVector v = table.getVector(c);
          assertEquals(String.valueOf(values[c]), String.valueOf(v.getObject(row)), "column " + v.getName() + ", row " + row);
        }
      }
    }
  }

  @Test
  void batchesOfEmptyStringsJoin() throws IOException {
    List<Object[]> expected = new ArrayList<>();
    byte[] stream = stream(new int[] {5, 5}, null, expected);
    try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), memory.allocator());
         VectorSchemaRoot table = Tables.collect(reader, memory.allocator())) {
      assertEquals(10, table.getRowCount());
      for (int row = 0; row < 10; row++) {
        assertEquals("", table.getVector("s").getObject(row).toString());
      }
    }
  }

  /** An IPC stream of batches of the given sizes; their rows, as getObject gives them, go to {@code rows}. */
  private byte[] stream(int[] sizes, Random random, List<Object[]> rows) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (VectorSchemaRoot batch = VectorSchemaRoot.create(SCHEMA, memory.allocator());
         ArrowStreamWriter writer = new ArrowStreamWriter(batch, null, bytes)) {
      writer.start();
      for (int size : sizes) {
        batch.allocateNew();
        BigIntVector n = (BigIntVector) batch.getVector("n");
        VarCharVector s = (VarCharVector) batch.getVector("s");
        LargeVarCharVector ls = (LargeVarCharVector) batch.getVector("ls");
        ListVector l = (ListVector) batch.getVector("l");
        UnionListWriter lists = l.getWriter();
        for (int i = 0; i < size; i++) {
          boolean nullRow = random != null && random.nextInt(10) == 0;
          if (nullRow) {
            n.setNull(i);
            s.setNull(i);
            ls.setNull(i);
            l.setNull(i);
            continue;
          }
          n.setSafe(i, random == null ? i : random.nextLong());
          String text = random == null ? "" : "v" + "x".repeat(random.nextInt(20)) + i;
          s.setSafe(i, text.getBytes(StandardCharsets.UTF_8));
          ls.setSafe(i, (text + "!").getBytes(StandardCharsets.UTF_8));
          lists.setPosition(i);
          lists.startList();
          int length = random == null ? 0 : random.nextInt(4);
          for (int k = 0; k < length; k++) {
            lists.bigInt().writeBigInt(k * 7L + i);
          }
          lists.endList();
        }
        batch.setRowCount(size);
        for (int i = 0; i < size; i++) {
          Object[] row = new Object[4];
          for (int c = 0; c < 4; c++) {
            row[c] = batch.getVector(c).getObject(i);
          }
          rows.add(row);
        }
        writer.writeBatch();
      }
      writer.end();
    }
    return bytes.toByteArray();
  }
}
