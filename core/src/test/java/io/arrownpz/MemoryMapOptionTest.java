package io.arrownpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arrownpz.cache.ReadCache;
import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.frame.FrameWriter;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.ProcessMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ReadOptions#memoryMap()} false: every file NumPy and StaticFrame wrote (and every bad one) reads to
 * what a mapped read gives, or is refused alike; the table is no mapping of its files, and does not change
 * when they do.
 */
class MemoryMapOptionTest {
  private static final ReadOptions READ = ReadOptions.DEFAULTS.withMemoryMap(false);
  private static final int ROWS = 200_000; // 1.6 MB a column: over the size below which files are read anyway

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  static Stream<JsonNode> files() {
    List<JsonNode> all = new ArrayList<>();
    for (String kind : List.of("npy", "npz", "staticframe-npz", "staticframe-npy-dir", "bad")) {
      all.addAll(Fixtures.ofKind(kind));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void readsWhatAMappedReadReads(JsonNode entry) throws IOException {
    Path path = Fixtures.path(entry.get("file").asText());
    Exception refused = null;
    VectorSchemaRoot mapped = null;
    try {
      mapped = NumpyTables.read(path, memory.allocator());
    } catch (BadFileException | UnsupportedDataException e) {
      refused = e;
    }
    if (refused != null) {
      Exception again = assertThrows(Exception.class, () -> NumpyTables.read(path, memory.allocator(), READ).close());
      assertEquals(refused.getClass(), again.getClass(), again.toString());
      assertTrue(again.getMessage().contains(path.getFileName().toString()), again.getMessage());
      return;
    }
    try (VectorSchemaRoot table = mapped; VectorSchemaRoot read = NumpyTables.read(path, memory.allocator(), READ)) {
      assertEquals(table.getSchema(), read.getSchema());
      assertTrue(table.equals(read), "same values");
    }
  }

  @Test
  void aTableReadIntoMemoryIsNoMappingOfItsFilesAndKeepsItsValues() throws IOException {
    boolean linux = Files.exists(Path.of("/proc/self/maps"));
    int round = 0;
    for (String kind : List.of("npy", "npz", "npydir")) {
      for (ReadOptions options : List.of(ReadOptions.DEFAULTS, READ, READ.withMember("b"))) {
        if (options.member() != null && !kind.equals("npz")) {
          continue;
        }
        Path path = tmp.resolve("x" + round++ + "." + kind);
        List<Path> files = write(path, kind);
        try (VectorSchemaRoot table = NumpyTables.read(path, memory.allocator(), options)) {
          if (linux) {
            boolean anyMapped = false;
            for (Path file : files) {
              anyMapped |= ProcessMemory.maps(file);
            }
            assertEquals(options.memoryMap(), anyMapped, path + " mapped, " + options);
          }
          // a: the .npy's one column, or the frame's first; b: the member asked for
          Float8Vector column = (Float8Vector) (kind.equals("npz") && options.member() == null ? table.getVector("a")
              : table.getVector(0));
          double scale = options.member() == null ? 0.5 : 2.0;
          if (!options.memoryMap()) {
            overwriteWithZeros(files);
          }
          for (int i = 0; i < ROWS; i += 1001) {
            assertEquals(i * scale, column.get(i), path + " row " + i);
          }
        }
      }
    }
  }

  /**
   * Read into memory, an archive member is read as it is used: a C-order block that is transposed is read a
   * band of rows at a time into the transposition (no copy of it whole), and a member whose values are
   * views is read whole once, into memory its views share.
   */
  @Test
  void aMemberIsReadInBandsForATranspositionAndWholeForViews() throws IOException {
    Path npz = tmp.resolve("c-order.npz");
    try (VectorSchemaRoot table = twoColumns()) {
      FrameWriter.writeNpz(table, npz, FrameWriteOptions.DEFAULTS.withBlocks(FrameWriteOptions.BlockLayout.C_ORDER_2D));
    }
    try (io.arrownpz.npz.NpzArchive archive = io.arrownpz.npz.NpzArchive.open(npz, READ);
         io.arrownpz.npy.NpyArray block = archive.array("__blocks_0__.npy", memory.allocator())) {
      assertEquals(List.of((long) ROWS, 2L), java.util.Arrays.stream(block.header().shape()).boxed().toList());
      io.arrownpz.internal.memory.Region region = io.arrownpz.internal.npy.Internals.arrays().region(block);
      try (io.arrownpz.npy.NpyArray columns = block.inFortranOrder(memory.allocator());
           org.apache.arrow.memory.ArrowBuf values = columns.dataBuffer(memory.allocator())) {
        assertEquals(1001 * 0.5, values.getDouble(1001 * 8L), "a, row 1001");
        assertEquals(1001 * 2.0, values.getDouble((ROWS + 1001) * 8L), "b, row 1001");
      }
      assertTrue(region.prefersReads(), "transposed from bands read from the file, not from a copy of it whole");
      try (org.apache.arrow.memory.ArrowBuf view = block.dataBuffer(memory.allocator());
           org.apache.arrow.memory.ArrowBuf again = block.dataBuffer(memory.allocator())) {
        assertFalse(region.prefersReads(), "read whole for a view");
        assertEquals(view.memoryAddress(), again.memoryAddress(), "read once: both views of one copy");
        assertEquals(1001 * 2.0, view.getDouble((2 * 1001 + 1) * 8L), "row 1001 of b, in C order");
      }
    }
  }

  /** Writes the two columns as {@code kind} at {@code path}; the files written. */
  private List<Path> write(Path path, String kind) throws IOException {
    try (VectorSchemaRoot table = twoColumns()) {
      switch (kind) {
        case "npy" -> NumpyTables.write(new VectorSchemaRoot(List.of(table.getVector("a"))), path);
        case "npz" -> NumpyTables.write(table, path);
        default -> FrameWriter.writeNpyDirectory(table, path, FrameWriteOptions.DEFAULTS.withBlocks(
            FrameWriteOptions.BlockLayout.ONE_PER_COLUMN));
      }
    }
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> listed = Files.list(path)) {
      return listed.toList();
    }
  }

  @Test
  void aCacheKeepsMappingsSoItCannotBeUsedWithReadsIntoMemory() {
    try (ReadCache cache = ReadCache.builder().build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ReadOptions.DEFAULTS.withCache(cache).withMemoryMap(false));
      assertNotNull(e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> READ.withCache(cache));
      assertFalse(READ.withCache(null).memoryMap());
    }
  }

  /** Every file's data bytes (all but the first 4 KiB, where the headers are) set to zero in place. */
  private static void overwriteWithZeros(List<Path> files) throws IOException {
    for (Path file : files) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        long size = channel.size();
        if (size > 4096) {
          channel.write(ByteBuffer.allocate((int) (size - 4096)), 4096);
        }
      }
    }
  }

  private VectorSchemaRoot twoColumns() {
    Float8Vector a = new Float8Vector("a", memory.allocator());
    Float8Vector b = new Float8Vector("b", memory.allocator());
    a.allocateNew(ROWS);
    b.allocateNew(ROWS);
    for (int i = 0; i < ROWS; i++) {
      a.set(i, i * 0.5);
      b.set(i, i * 2.0);
    }
    a.setValueCount(ROWS);
    b.setValueCount(ROWS);
    return new VectorSchemaRoot(List.of(a, b));
  }
}
