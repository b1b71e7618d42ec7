package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.ProcessMemory;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.NpyDirectories;
import io.arrownpz.testing.VectorValues;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every StaticFrame fixture reads to what its manifest says, and writes back as the same frame. */
class FrameFixturesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  static Stream<JsonNode> frames() {
    List<JsonNode> all = new ArrayList<>(Fixtures.ofKind("staticframe-npz"));
    all.addAll(Fixtures.ofKind("staticframe-npy-dir"));
    return all.stream();
  }

  static FrameSource open(JsonNode entry) throws IOException {
    Path path = Fixtures.path(entry.get("file").asText());
    return Files.isDirectory(path) ? new NpyDirectorySource(path) : NpzFrameSource.open(path);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void readsAsTheManifestSays(JsonNode entry) throws IOException {
    try (FrameSource source = open(entry);
         VectorSchemaRoot table = new FrameReader(memory.allocator()).read(source)) {
      int rows = entry.get("shape").get(0).asInt();
      int columns = entry.get("shape").get(1).asInt();
      JsonNode index = entry.get("index");
      int indexFields = index.get("auto").asBoolean() ? 0 : index.get("depth").asInt();
      assertEquals(rows, table.getRowCount());
      assertEquals(indexFields + columns, table.getFieldVectors().size());
      for (int i = 0; i < indexFields; i++) {
        assertEquals(VectorValues.expected(asEntry(index.get("levels").get(i))),
            VectorValues.flatten(table.getVector(i)), "index level " + i);
      }
      if (index.get("depth").asInt() == 1 && !index.get("auto").asBoolean()) {
        String name = index.get("name").isNull() ? "__index_level_0__" : index.get("name").asText();
        assertEquals(name, table.getVector(0).getName());
      }
      JsonNode labels = entry.get("columns").get("levels");
      for (int c = 0; c < columns; c++) {
        FieldVector v = table.getVector(indexFields + c);
        assertEquals(VectorValues.expected(asEntry(entry.get("data").get(c))), VectorValues.flatten(v), v.getName());
        if (labels.size() == 1) {
          assertEquals(labels.get(0).get("values").get(c).asText(), v.getName());
        }
      }
      assertTrue(table.getSchema().getCustomMetadata().containsKey("pandas"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frames")
  void writesBackTheSameFrame(JsonNode entry) throws IOException {
    Path npz = tmp.resolve("again.npz");
    Path dir = tmp.resolve("again.dir");
    try (FrameSource source = open(entry);
         VectorSchemaRoot table = new FrameReader(memory.allocator()).read(source)) {
      FrameWriter.writeNpz(table, npz, FrameWriteOptions.DEFAULTS);
      FrameWriter.writeNpyDirectory(table, dir, FrameWriteOptions.DEFAULTS);
      byte[] originalMeta = source.bytes("__meta__.json", memory.allocator());
      for (FrameSource again : List.of(NpzFrameSource.open(npz), new NpyDirectorySource(dir))) {
        try (again; VectorSchemaRoot reread = new FrameReader(memory.allocator()).read(again)) {
          assertTrue(table.equals(reread), "same table from " + again.name());
          assertEquals(table.getSchema(), reread.getSchema());
          assertArrayEquals(originalMeta, again.bytes("__meta__.json", memory.allocator()), "same __meta__.json");
          // Column labels as StaticFrame stored them, header and all, not a re-encoding of their values.
          for (int level = 0; source.has(FrameMembers.columns(level)); level++) {
            String member = FrameMembers.columns(level);
            assertArrayEquals(source.bytes(member, memory.allocator()), again.bytes(member, memory.allocator()),
                "same " + member + " in " + again.name());
          }
        }
      }
    }
  }

  /** NPY directories: every array 64-byte aligned and a view of its file. */
  @Test
  void npyDirectoryColumnsAreAlignedViews() throws IOException {
    try (NpyDirectorySource source = new NpyDirectorySource(Fixtures.path("sfdir/simple"));
         VectorSchemaRoot table = new FrameReader(memory.allocator()).read(source)) {
      for (String name : List.of("a", "b")) {
        long address = table.getVector(name).getDataBuffer().memoryAddress();
        assertEquals(0, address % 64, name);
      }
    }
  }

  /**
   * A member of StaticFrame's NPY directory that is a named pipe (or a directory) is refused at once, naming
   * the directory and the member: opening a pipe waits for a writer, which hung the read (and would hang a
   * Flight server's call) without end.
   */
  @Test
  void aMemberThatIsNotARegularFileIsRefusedWithoutWaiting() throws Exception {
    for (String kind : List.of("pipe", "directory")) {
      Path dir = NpyDirectories.copy(Fixtures.path("sfdir/simple"), tmp.resolve(kind));
      Path member = dir.resolve("__blocks_1__.npy");
      Files.delete(member);
      if (kind.equals("pipe")) {
        assertEquals(0, new ProcessBuilder("mkfifo", member.toString()).start().waitFor());
      } else {
        Files.createDirectory(member);
      }
      BadFileException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> assertThrows(
          BadFileException.class, () -> {
            try (NpyDirectorySource source = new NpyDirectorySource(dir);
                 VectorSchemaRoot table = new FrameReader(memory.allocator()).read(source)) {
              table.getRowCount();
            }
          }));
      assertEquals(dir + ": __blocks_1__.npy: not a regular file (a pipe, socket, device or directory)",
          e.getMessage(), kind);
    }
  }

  /** Small member files are read into memory, large ones mapped: both give the values, aligned. */
  @Test
  void npyDirectoryReadsSmallFilesAndMapsLargeOnes() throws IOException {
    int rows = 200_000;
    Float8Vector big = new Float8Vector("big", memory.allocator()); // 1.6 MB: mapped
    org.apache.arrow.vector.TinyIntVector small = new org.apache.arrow.vector.TinyIntVector("small", memory.allocator());
    big.allocateNew(rows);
    small.allocateNew(rows); // 200 KB: read
    for (int i = 0; i < rows; i++) {
      big.set(i, i * 0.5);
      small.set(i, (byte) (i % 100));
    }
    big.setValueCount(rows);
    small.setValueCount(rows);
    Path dir = tmp.resolve("frame.npydir");
    try (VectorSchemaRoot table = new VectorSchemaRoot(List.of(big, small))) {
      FrameWriter.writeNpyDirectory(table, dir, FrameWriteOptions.DEFAULTS.withBlocks(
          FrameWriteOptions.BlockLayout.ONE_PER_COLUMN));
    }
    Path bigFile = dir.resolve("__blocks_0__.npy");
    Path smallFile = dir.resolve("__blocks_1__.npy");
    assertTrue(Files.size(bigFile) > (1 << 20));
    assertTrue(Files.size(smallFile) <= (1 << 20) && Files.size(smallFile) > (64 << 10));
    boolean linux = Files.exists(Path.of("/proc/self/maps"));
    for (int round = 0; round < 2; round++) {
      try (NpyDirectorySource source = new NpyDirectorySource(dir);
           VectorSchemaRoot table = new FrameReader(memory.allocator()).read(source)) {
        for (String name : List.of("big", "small")) {
          assertEquals(0, table.getVector(name).getDataBuffer().memoryAddress() % 64, name);
        }
        if (linux) { // which of them is a mapping of its file, as /proc/self/maps says
          assertEquals(bigFile.toRealPath().toString(),
              ProcessMemory.mappedFile(table.getVector("big").getDataBuffer().memoryAddress()), "big: mapped");
          assertNotEquals(smallFile.toRealPath().toString(),
              ProcessMemory.mappedFile(table.getVector("small").getDataBuffer().memoryAddress()), "small: read");
        }
        for (int i = 0; i < rows; i += 997) {
          assertEquals(i * 0.5, ((Float8Vector) table.getVector("big")).get(i));
          assertEquals((byte) (i % 100), ((org.apache.arrow.vector.TinyIntVector) table.getVector("small")).get(i));
        }
      }
    }
  }

  @Test
  void repeatedHeadersAreParsedOnce() throws IOException {
    int columns = 2000;
    List<FieldVector> vectors = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      Float8Vector v = new Float8Vector("c" + c, memory.allocator());
      v.allocateNew(3);
      v.set(0, c);
      v.set(1, -c);
      v.set(2, 0.5);
      v.setValueCount(3);
      vectors.add(v);
    }
    Path file = tmp.resolve("wide.npz");
    try (VectorSchemaRoot table = new VectorSchemaRoot(vectors)) {
      FrameWriter.writeNpz(table, file, FrameWriteOptions.DEFAULTS.withBlocks(FrameWriteOptions.BlockLayout.ONE_PER_COLUMN));
    }
    try (NpzArchive npz = NpzArchive.open(file);
         VectorSchemaRoot table = new FrameReader(memory.allocator()).read(new NpzFrameSource(npz))) {
      assertEquals(columns, table.getFieldVectors().size());
      assertEquals(-1999.0, ((Float8Vector) table.getVector("c1999")).get(1));
    }
  }

  @Test
  void plainTablesGetAnAutomaticOrANamedIndex() throws IOException {
    try (BigIntVector id = new BigIntVector("id", memory.allocator());
         Float8Vector price = new Float8Vector("price", memory.allocator())) {
      id.allocateNew(2);
      id.set(0, 7);
      id.set(1, 9);
      id.setValueCount(2);
      price.allocateNew(2);
      price.set(0, 1.5);
      price.set(1, 2.5);
      price.setValueCount(2);
      VectorSchemaRoot table = VectorSchemaRoot.of(id, price);
      FrameWriter.writeNpz(table, tmp.resolve("auto.npz"), FrameWriteOptions.DEFAULTS);
      FrameWriter.writeNpz(table, tmp.resolve("named.npz"), FrameWriteOptions.DEFAULTS.withIndexFields(List.of("id")));
    }
    try (FrameSource auto = NpzFrameSource.open(tmp.resolve("auto.npz"));
         VectorSchemaRoot t = new FrameReader(memory.allocator()).read(auto)) {
      assertEquals(List.of("id", "price"), t.getSchema().getFields().stream().map(f -> f.getName()).toList());
      assertFalse(auto.has("__values_index_0__.npy"));
      assertEquals("{\"__names__\": [null, null, null], \"__types__\": [\"Index\", \"Index\"], \"__depths__\": [2, 1, 1]}",
          new String(auto.bytes("__meta__.json", memory.allocator())));
    }
    try (FrameSource named = NpzFrameSource.open(tmp.resolve("named.npz"));
         VectorSchemaRoot t = new FrameReader(memory.allocator()).read(named)) {
      assertEquals(List.of("id", "price"), t.getSchema().getFields().stream().map(f -> f.getName()).toList());
      assertTrue(named.has("__values_index_0__.npy"));
      assertTrue(new String(named.bytes("__meta__.json", memory.allocator())).startsWith("{\"__names__\": [null, \"id\", null]"));
    }
  }

  @Test
  void nullsWhereNumpyHasNoneAreAClearErrorOrConverted() throws IOException {
    try (BigIntVector n = new BigIntVector("count", memory.allocator())) {
      n.allocateNew(2);
      n.set(0, 4);
      n.setNull(1);
      n.setValueCount(2);
      VectorSchemaRoot table = VectorSchemaRoot.of(n);
      UnsupportedDataException e = assertThrows(UnsupportedDataException.class,
          () -> FrameWriter.writeNpz(table, tmp.resolve("x.npz"), FrameWriteOptions.DEFAULTS));
      assertTrue(e.getMessage().contains("'count'") && e.getMessage().contains("null"), e.getMessage());
      assertFalse(Files.exists(tmp.resolve("x.npz")));
      FrameWriter.writeNpz(table, tmp.resolve("x.npz"), FrameWriteOptions.DEFAULTS.withNullsToFloat(true));
    }
    try (FrameSource s = NpzFrameSource.open(tmp.resolve("x.npz"));
         VectorSchemaRoot t = new FrameReader(memory.allocator()).read(s)) {
      Float8Vector f = (Float8Vector) t.getVector("count");
      assertEquals(4.0, f.get(0));
      assertTrue(Double.isNaN(f.get(1)));
    }
  }

  @Test
  void npyDirectoryMustNotExist() throws IOException {
    Files.createDirectories(tmp.resolve("exists"));
    try (FrameSource source = NpzFrameSource.open(Fixtures.path("sf/simple.npz"));
         VectorSchemaRoot table = new FrameReader(memory.allocator()).read(source)) {
      assertThrows(FileAlreadyExistsException.class,
          () -> FrameWriter.writeNpyDirectory(table, tmp.resolve("exists"), FrameWriteOptions.DEFAULTS));
    }
  }

  private static JsonNode asEntry(JsonNode level) {
    ObjectNode e = level.deepCopy();
    e.put("descr", level.get("dtype").asText());
    return e;
  }
}
