package io.arrownpz.npz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arrownpz.BadFileException;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.VectorValues;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The NPZ fixtures NumPy wrote: every member's values, zero-copy for STORED members, layouts. */
class NpzFixturesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  static Stream<JsonNode> archives() {
    return Fixtures.ofKind("npz").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("archives")
  void everyMemberMatchesTheManifest(JsonNode archive) throws IOException {
    boolean stored = "stored".equals(archive.get("compression").asText());
    try (NpzArchive npz = NpzArchive.open(Fixtures.path(archive.get("file").asText()))) {
      JsonNode members = archive.get("members");
      assertEquals(members.size(), npz.entries().size());
      NpyVectorReader reader = new NpyVectorReader(memory.allocator());
      for (JsonNode member : members) {
        String name = member.get("name").asText();
        try (NpyArray array = npz.array(name, memory.allocator());
             FieldVector vector = reader.read(array, NpzArchive.key(name))) {
          assertEquals(member.get("descr").asText(), array.dtype().descr(), name);
          assertEquals(VectorValues.expected(member), VectorValues.flatten(vector), name);
          long start = npz.zip().dataOffset(npz.entry(name));
          if (stored) {
            assertEquals(start + array.header().dataOffset(),
                array.dataAddress() - io.arrownpz.internal.npy.Internals.arrays().region(array).address() + start, name);
          }
          boolean zeroCopyKind = array.dtype().kind() == io.arrownpz.npy.Kind.FLOAT
              || array.dtype().kind() == io.arrownpz.npy.Kind.INT;
          if (stored && zeroCopyKind) {
            assertEquals(array.dataAddress(), vector.getDataBuffer().memoryAddress(), name + " is a view");
          }
        }
      }
    }
  }

  @Test
  void layoutsAreDetected() throws IOException {
    assertLayout("npz/stored.npz", NpzLayout.PLAIN);
    assertLayout("npz/packed_events.npz", NpzLayout.PACKED);
    assertLayout("sf/simple.npz", NpzLayout.FRAME);
  }

  private static void assertLayout(String file, NpzLayout expected) throws IOException {
    try (NpzArchive npz = NpzArchive.open(Fixtures.path(file))) {
      assertEquals(expected, npz.layout());
    }
  }

  @Test
  void plainArchiveReadsAsATable() throws IOException {
    try (NpzArchive npz = NpzArchive.open(Fixtures.path("npz/many_members.npz"));
         VectorSchemaRoot table = PlainNpz.read(npz, memory.allocator(), NpyReadOptions.DEFAULTS)) {
      assertEquals(340, table.getFieldVectors().size());
      assertEquals(6, table.getRowCount());
      assertEquals("col_000", table.getVector(0).getName());
    }
  }

  @Test
  void membersOfDifferentLengthsAreNamed() throws IOException {
    try (NpzArchive npz = NpzArchive.open(Fixtures.path("npz/stored.npz"))) {
      BadFileException e = assertThrows(BadFileException.class,
          () -> PlainNpz.read(npz, memory.allocator(), NpyReadOptions.DEFAULTS).close());
      assertTrue(e.getMessage().contains("c0.npy (10,)") && e.getMessage().contains("c3.npy (9,)"), e.getMessage());
    }
  }

  @Test
  void packedEventsReadAsListsOverTheFile() throws IOException {
    try (NpzArchive npz = NpzArchive.open(Fixtures.path("npz/packed_events.npz"));
         VectorSchemaRoot table = PackedNpz.read(npz, memory.allocator(), NpyReadOptions.DEFAULTS)) {
      assertEquals(4, table.getRowCount());
      assertEquals(List.of("GroupID", "UserID", "EventName", "Timestamp", "Value"),
          table.getSchema().getFields().stream().map(f -> f.getName()).toList());
      ListVector value = (ListVector) table.getVector("Value");
      assertEquals(5, value.getObject(0).size());
      assertEquals(0, value.getObject(2).size());
      assertEquals(-1.2436070752310067, (Double) value.getObject(3).get(1));
      assertEquals("Checkout", ((ListVector) table.getVector("EventName")).getObject(0).get(2).toString());
      try (NpyArray offsets = npz.array("__offsets__.npy", memory.allocator());
           NpyArray values = npz.array("Value.npy", memory.allocator())) {
        assertEquals(offsets.dataAddress(), value.getOffsetBuffer().memoryAddress(), "offsets are a view");
        assertEquals(values.dataAddress(), value.getDataVector().getDataBuffer().memoryAddress(), "values are a view");
      }
    }
  }
}
