package io.arrownpz.pack;

import static io.arrownpz.pack.EventTables.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.testing.AllocatorExtension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackerTest {
  @RegisterExtension
  final AllocatorExtension memory = new AllocatorExtension();

  private BufferAllocator allocator() {
    return memory.allocator();
  }

  @Test
  void packsTheSeedExampleIntoThreeSessions() {
    try (VectorSchemaRoot events = EventTables.seed(allocator());
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("GroupID"))) {
      assertEquals(3, packed.getRowCount());
      assertEquals(List.of("GroupID", "EventID", "EventName", "Timestamp", "UserID", "Details"),
          packed.getSchema().getFields().stream().map(f -> f.getName()).toList());
      assertEquals("G002", packed.getVector("GroupID").getObject(1).toString());
      assertEquals(List.of("Login", "Password Reset", "Login"), strings(packed.getVector("EventName").getObject(1)));
      assertEquals(List.of("U003", "U003", "U003"), strings(packed.getVector("UserID").getObject(2)));
      assertEquals(ArrowType.List.INSTANCE, packed.getSchema().findField("Details").getType());
      assertEquals("item", packed.getSchema().findField("Details").getChildren().get(0).getName());
    }
  }

  @Test
  void groupedInputSharesTheInputBuffersAndComputesOnlyOffsets() {
    try (VectorSchemaRoot events = EventTables.seed(allocator());
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("GroupID"))) {
      VarCharVector names = (VarCharVector) events.getVector("EventName");
      FieldVector values = ((ListVector) packed.getVector("EventName")).getDataVector();
      assertEquals(names.getDataBuffer().memoryAddress(), values.getDataBuffer().memoryAddress());
      assertEquals(names.getOffsetBuffer().memoryAddress(), values.getOffsetBuffer().memoryAddress());
      assertEquals(events.getVector("Timestamp").getDataBuffer().memoryAddress(),
          ((ListVector) packed.getVector("Timestamp")).getDataVector().getDataBuffer().memoryAddress());
    }
  }

  @Test
  void keepsConstantColumnsScalarWhenAskedOrDetected() {
    try (VectorSchemaRoot events = EventTables.seed(allocator());
         VectorSchemaRoot asked = Packer.pack(events, allocator(), PackOptions.byKeys("GroupID").keepScalar(Set.of("UserID")));
         VectorSchemaRoot detected = Packer.pack(events, allocator(), PackOptions.byKeys("GroupID").detectScalar(true))) {
      assertEquals("U002", asked.getVector("UserID").getObject(1).toString());
      assertInstanceOf(ListVector.class, asked.getVector("EventName"));
      assertEquals(asked.getSchema(), detected.getSchema());
      var notConstant = assertThrows(UnsupportedDataException.class, () ->
          Packer.pack(events, allocator(), PackOptions.byKeys("GroupID").keepScalar(Set.of("EventName"))));
      assertTrue(notConstant.getMessage().contains("'EventName'") && notConstant.getMessage().contains("row 1"),
          notConstant.getMessage());
    }
  }

  @Test
  void refusesUnknownColumnsByName() {
    try (VectorSchemaRoot events = EventTables.seed(allocator())) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> Packer.pack(events, allocator(), PackOptions.byKeys("Session")));
      assertTrue(e.getMessage().contains("'Session'"), e.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> Packer.pack(events, allocator(), PackOptions.byKeys("GroupID").orderBy("When")));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 300})
  void shuffledEventsGroupInOrderOfFirstAppearanceWithEventsInInputOrder(int groups) {
    try (VectorSchemaRoot events = EventTables.random(allocator(), 2000, groups, true, groups);
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("key"))) {
      assertMatchesReference(events, packed, EventTables.groups(events, "key"), List.of("key"));
    }
  }

  /** One fixed-width key without nulls (the table that holds keys itself), past its first growth. */
  @ParameterizedTest
  @ValueSource(strings = {"key", "i8", "i16", "i32", "f64", "day", "time"})
  void singleFixedWidthKeysWithoutNullsOverManyGroups(String key) {
    try (VectorSchemaRoot events = EventTables.random(allocator(), 30_000, 12_000, false, 17);
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys(key))) {
      assertMatchesReference(events, packed, EventTables.groups(events, key), List.of(key));
    }
  }

  /** Past the run count from which groups are numbered by partition on all cores, any key width. */
  @ParameterizedTest
  @ValueSource(strings = {"key", "i8", "i16", "day", "text", "key with nulls"})
  void manyShuffledRunsAreNumberedByPartitionWithTheSameResult(String named) {
    int rows = PartitionedNumbering.MIN_RUNS + 70_000;
    String key = named.split(" ")[0];
    try (VectorSchemaRoot events = EventTables.random(allocator(), rows, 50_000, named.endsWith("nulls"), 23);
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys(key))) {
      assertMatchesReference(events, packed, EventTables.groups(events, key), List.of(key));
    }
  }

  @Test
  void severalKeys() {
    try (VectorSchemaRoot events = EventTables.random(allocator(), 3000, 40, true, 5);
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("key2", "key"))) {
      assertMatchesReference(events, packed, EventTables.groups(events, "key2", "key"), List.of("key2", "key"));
    }
  }

  @Test
  void nullKeysFormTheirOwnGroupOrAreDropped() {
    try (VectorSchemaRoot events = EventTables.random(allocator(), 1000, 10, true, 9);
         VectorSchemaRoot kept = Packer.pack(events, allocator(), PackOptions.byKeys("key"));
         VectorSchemaRoot dropped = Packer.pack(events, allocator(), PackOptions.byKeys("key").dropNullKeys(true))) {
      Map<List<Object>, List<Integer>> reference = EventTables.groups(events, "key");
      assertTrue(reference.containsKey(java.util.Collections.singletonList(null)), "the data has null keys");
      assertEquals(reference.size(), kept.getRowCount());
      reference.remove(java.util.Collections.singletonList(null));
      assertMatchesReference(events, dropped, reference, List.of("key"));
      assertEquals(0, dropped.getVector("key").getNullCount());
    }
  }

  @Test
  void sortsGroupsByKeyAndEventsByAColumnStably() {
    try (VectorSchemaRoot events = EventTables.random(allocator(), 2000, 50, false, 11);
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("key").sortGroups(true).orderBy("i8"))) {
      Map<List<Object>, List<Integer>> reference = new java.util.TreeMap<>(
          Comparator.comparing(k -> (Long) k.get(0)));
      reference.putAll(EventTables.groups(events, "key"));
      FieldVector i8 = events.getVector("i8");
      reference.values().forEach(rows -> rows.sort(Comparator.comparing(r -> (Byte) i8.getObject(r))));
      assertMatchesReference(events, packed, new java.util.LinkedHashMap<>(reference), List.of("key"));
    }
  }

  @Test
  void emptyInputAndOneRowGroups() {
    try (VectorSchemaRoot events = EventTables.random(allocator(), 0, 5, false, 1);
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("key").orderBy("f64"))) {
      assertEquals(0, packed.getRowCount());
      assertInstanceOf(ListVector.class, packed.getVector("f64"));
    }
    try (VectorSchemaRoot events = EventTables.random(allocator(), 50, 1_000_000, false, 2);
         VectorSchemaRoot packed = Packer.pack(events, allocator(), PackOptions.byKeys("key"))) {
      assertMatchesReference(events, packed, EventTables.groups(events, "key"), List.of("key"));
    }
  }

  static List<String> strings(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  /** Every column of {@code packed} against the reference grouping, value by value. */
  static void assertMatchesReference(VectorSchemaRoot events, VectorSchemaRoot packed,
      Map<List<Object>, List<Integer>> reference, List<String> keys) {
    assertEquals(reference.size(), packed.getRowCount());
    int g = 0;
    for (Map.Entry<List<Object>, List<Integer>> group : reference.entrySet()) {
      for (FieldVector column : events.getFieldVectors()) {
        FieldVector out = packed.getVector(column.getName());
        if (keys.contains(column.getName())) {
          assertEquals(value(column, group.getValue().get(0)), value(out, g), column.getName());
          continue;
        }
        ListVector list = (ListVector) out;
        FieldVector values = list.getDataVector();
        int start = list.getElementStartIndex(g);
        List<Object> expected = new ArrayList<>();
        List<Object> actual = new ArrayList<>();
        for (int i = 0; i < group.getValue().size(); i++) {
          expected.add(value(column, group.getValue().get(i)));
        }
        for (int i = start; i < list.getElementEndIndex(g); i++) {
          actual.add(value(values, i));
        }
        assertEquals(expected, actual, column.getName() + " of group " + group.getKey());
      }
      g++;
    }
    assertFalse(packed.getFieldVectors().isEmpty());
  }
}
