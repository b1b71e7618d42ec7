package io.arrownpz.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batches joined into one table: every value of every batch, in order, for fixed-width, string, large
 * string, binary and list columns with nulls, empty values and batches of no rows, whatever the batch sizes
 * (the join sizes its vectors once from the batches, so a wrong total would show as a wrong value or
 * a leak).
 */
class TablesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  private static final Schema SCHEMA = new Schema(List.of(
      Field.nullable("n", new ArrowType.Int(64, true)),
      Field.nullable("s", ArrowType.Utf8.INSTANCE),
      Field.nullable("ls", ArrowType.LargeUtf8.INSTANCE),
      Field.nullable("b", ArrowType.Binary.INSTANCE),
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
      assertEquals(SCHEMA, table.getSchema());
      for (int row = 0; row < expected.size(); row++) {
        Object[] values = expected.get(row);
        for (int c = 0; c < values.length; c++) {
          FieldVector v = table.getVector(c);
          Object value = v.getObject(row);
          assertEquals(String.valueOf(values[c]), value instanceof byte[] bytes ? Arrays.toString(bytes)
              : String.valueOf(value), "column " + v.getName() + ", row " + row);
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

  @Test
  void batchesOfNoRowsJoinIntoATableOfNoRows() throws IOException {
    byte[] stream = stream(new int[] {0, 0, 0}, null, new ArrayList<>());
    try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), memory.allocator());
         VectorSchemaRoot table = Tables.collect(reader, memory.allocator())) {
      assertEquals(0, table.getRowCount());
      assertEquals(SCHEMA, table.getSchema());
      for (FieldVector v : table.getFieldVectors()) {
        assertEquals(0, v.getValueCount(), v.getName());
      }
      assertEquals(0, table.getVector("s").getOffsetBuffer().getInt(0));
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
        VarBinaryVector b = (VarBinaryVector) batch.getVector("b");
        ListVector l = (ListVector) batch.getVector("l");
        UnionListWriter lists = l.getWriter();
        for (int i = 0; i < size; i++) {
          boolean nullRow = random != null && random.nextInt(10) == 0;
          if (nullRow) {
            n.setNull(i);
            s.setNull(i);
            ls.setNull(i);
            b.setNull(i);
            l.setNull(i);
            continue;
          }
          n.setSafe(i, random == null ? i : random.nextLong());
          String text = random == null ? "" : "v" + "x".repeat(random.nextInt(20)) + i;
          s.setSafe(i, text.getBytes(StandardCharsets.UTF_8));
          ls.setSafe(i, (text + "!").getBytes(StandardCharsets.UTF_8));
          b.setSafe(i, new byte[] {(byte) i, 0, (byte) text.length()});
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
          Object[] row = new Object[SCHEMA.getFields().size()];
          for (int c = 0; c < row.length; c++) {
            Object value = batch.getVector(c).getObject(i);
            row[c] = value instanceof byte[] binary ? Arrays.toString(binary) : value;
          }
          rows.add(row);
        }
        writer.writeBatch();
      }
      writer.end();
    }
    return bytes.toByteArray();
  }

  /**
   * A batch whose string offsets start past 0 (as a slice's do) gives only its own bytes, moved to follow
   * the batch before; nulls stay null across a batch boundary that is not a byte boundary.
   */
  @Test
  void stringsWhoseOffsetsStartPastZeroJoinWithTheirOwnBytes() {
    Schema schema = new Schema(List.of(Field.nullable("s", ArrowType.Utf8.INSTANCE)));
    try (VectorSchemaRoot first = VectorSchemaRoot.create(schema, memory.allocator());
         VectorSchemaRoot second = VectorSchemaRoot.create(schema, memory.allocator());
         VarCharVector into = new VarCharVector("s", memory.allocator())) {
      VarCharVector a = (VarCharVector) first.getVector(0);
      a.allocateNew();
      a.setSafe(0, "ab".getBytes(StandardCharsets.UTF_8));
      a.setNull(1);
      first.setRowCount(2);
      byte[] data = "xyzcd__efg".getBytes(StandardCharsets.UTF_8);
      int[] offsets = {3, 5, 7, 10}; // "cd", null (two bytes it does not use), "efg"
      try (ArrowBuf validity = memory.allocator().buffer(8);
           ArrowBuf offsetBuffer = memory.allocator().buffer(16);
           ArrowBuf dataBuffer = memory.allocator().buffer(data.length)) {
        validity.setZero(0, 8);
        validity.setByte(0, 0b101);
        for (int i = 0; i < offsets.length; i++) {
          offsetBuffer.setInt(4L * i, offsets[i]);
        }
        dataBuffer.setBytes(0, data);
        ((VarCharVector) second.getVector(0)).loadFieldBuffers(new ArrowFieldNode(3, 1),
            List.of(validity, offsetBuffer, dataBuffer));
      }
      second.setRowCount(3);
      assertTrue(FlatColumnJoin.join(into, List.of(first, second), 0, 5, memory.allocator()));
      assertEquals(5, into.getValueCount());
      assertEquals(2, into.getNullCount());
      assertEquals(Arrays.asList("ab", null, "cd", null, "efg"), Arrays.asList(text(into, 0), text(into, 1),
          text(into, 2), text(into, 3), text(into, 4)));
      assertEquals(9, into.getOffsetBuffer().getInt(5 * 4), "the end: 2 bytes, then bytes 3 to 10 of the second");
    }
  }

  private static String text(VarCharVector v, int row) {
    return v.isNull(row) ? null : new String(v.get(row), StandardCharsets.UTF_8);
  }
}
