package io.arrownpz.pack;

import static io.arrownpz.pack.EventTables.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.testing.AllocatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UnpackerTest {
  @RegisterExtension
  final AllocatorExtension memory = new AllocatorExtension();

  private BufferAllocator allocator() {
    return memory.allocator();
  }

  @Test
  void unpackOfPackGivesBackGroupedInputExactly() {
    try (VectorSchemaRoot events = EventTables.seed(allocator());
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("GroupID").detectScalar(true));
         VectorSchemaRoot unpacked = Unpacker.unpack(packed, allocator(), UnpackOptions.DEFAULT)) {
      assertEquals(events.contentToTSVString(), unpacked.contentToTSVString());
      assertEquals(events.getSchema(), unpacked.getSchema());
    }
  }

  @Test
  void unpackOfPackGivesBackEveryTypeInGroupOrder() {
    try (VectorSchemaRoot events = EventTables.random(allocator(), 3000, 97, true, 3);
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("key").orderBy("f64"));
         VectorSchemaRoot unpacked = Unpacker.unpack(packed, allocator(), UnpackOptions.DEFAULT.position("pos"))) {
      List<Integer> order = new ArrayList<>();
      List<Integer> positions = new ArrayList<>();
      FieldVector f64 = events.getVector("f64");
      for (List<Integer> rows : EventTables.groups(events, "key").values()) {
        rows.sort(java.util.Comparator.comparing(r -> (Double) f64.getObject(r),
            java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        order.addAll(rows);
        for (int i = 0; i < rows.size(); i++) {
          positions.add(i);
        }
      }
      assertEquals(events.getRowCount(), unpacked.getRowCount());
      for (FieldVector column : events.getFieldVectors()) {
        FieldVector out = unpacked.getVector(column.getName());
        assertEquals(column.getField(), out.getField());
        for (int i = 0; i < order.size(); i++) {
          assertEquals(value(column, order.get(i)), value(out, i), column.getName() + " row " + i);
        }
      }
      IntVector pos = (IntVector) unpacked.getVector("pos");
      for (int i = 0; i < positions.size(); i++) {
        assertEquals(positions.get(i), pos.get(i));
      }
    }
  }

  @Test
  void packedValuesInRowOrderAreNotCopied() {
    try (VectorSchemaRoot events = EventTables.seed(allocator());
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("GroupID"));
         VectorSchemaRoot unpacked = Unpacker.unpack(packed, allocator(), UnpackOptions.DEFAULT)) {
      FieldVector values = ((ListVector) packed.getVector("Details")).getDataVector();
      assertEquals(values.getDataBuffer().memoryAddress(), unpacked.getVector("Details").getDataBuffer().memoryAddress());
    }
  }

  @Test
  void emptyListsGiveNoRowOrANullRow() {
    try (VectorSchemaRoot packed = packedWithEmptyGroup();
         VectorSchemaRoot dropped = Unpacker.unpack(packed, allocator(), UnpackOptions.DEFAULT.position("i"));
         VectorSchemaRoot kept = Unpacker.unpack(packed, allocator(), UnpackOptions.DEFAULT.position("i").emptyAsNullRow(true))) {
      assertEquals("g\tv\ti\na\t1\t0\na\t2\t1\nc\t3\t0\n", dropped.contentToTSVString());
      assertEquals("g\tv\ti\na\t1\t0\na\t2\t1\nb\tnull\tnull\nc\t3\t0\n", kept.contentToTSVString());
    }
  }

  @Test
  void listsOfDifferentLengthsInOneRowAreAnErrorNamingTheRow() {
    ListVector other = ListVector.empty("w", allocator());
    writeLists(other, new int[][] {{1, 2}, {}, {3, 4}});
    try (VectorSchemaRoot packed = packedWithEmptyGroup(other)) {
      var e = assertThrows(UnsupportedDataException.class,
          () -> Unpacker.unpack(packed, allocator(), UnpackOptions.DEFAULT));
      assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("'w'"), e.getMessage());
    }
  }

  private VectorSchemaRoot packedWithEmptyGroup(FieldVector... more) {
    VarCharVector g = new VarCharVector("g", allocator());
    g.allocateNew();
    g.setSafe(0, EventTables.bytes("a"));
    g.setSafe(1, EventTables.bytes("b"));
    g.setSafe(2, EventTables.bytes("c"));
    g.setValueCount(3);
    ListVector v = ListVector.empty("v", allocator());
    writeLists(v, new int[][] {{1, 2}, {}, {3}});
    List<FieldVector> columns = new ArrayList<>(List.of(g, v));
    columns.addAll(List.of(more));
    return new VectorSchemaRoot(columns);
  }

  private static void writeLists(ListVector vector, int[][] lists) {
    UnionListWriter writer = vector.getWriter();
    for (int r = 0; r < lists.length; r++) {
      writer.setPosition(r);
      writer.startList();
      for (int x : lists[r]) {
        writer.integer().writeInt(x);
      }
      writer.endList();
    }
    vector.setValueCount(lists.length);
  }

  @Test
  void groupOrderRoundTripOnShuffledInput() {
    try (VectorSchemaRoot events = EventTables.random(allocator(), 500, 20, false, 4);
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("key"));
         VectorSchemaRoot unpacked = Unpacker.unpack(packed, allocator(), UnpackOptions.DEFAULT)) {
      Map<List<Object>, List<Integer>> groups = EventTables.groups(events, "key");
      int i = 0;
      for (List<Integer> rows : groups.values()) {
        for (int row : rows) {
          for (FieldVector column : events.getFieldVectors()) {
            assertEquals(value(column, row), value(unpacked.getVector(column.getName()), i));
          }
          i++;
        }
      }
    }
  }
}
