package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files (fixtures/hostile/README.md) to every target: one error naming the file and, where a
 * batch lies, the column and the problem, found before any writer sees the batch; no output left, and
 * the allocator back to zero (the extension fails the test otherwise). The same files under a 256 MiB
 * heap are CliIT's.
 */
class HostileFilesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final List<FileFormat> TARGETS =
      List.of(FileFormat.FEATHER, FileFormat.IPC_STREAM, FileFormat.PARQUET, FileFormat.NPZ);

  @Test
  void aStreamWhoseOffsetsLieIsNamedBeforeAnyWriterSeesIt() throws Exception {
    Path input = Fixtures.path("hostile/stream-leaks-after-error.arrows");
    for (FileFormat to : TARGETS) {
      Path out = tmp.resolve("out." + to.formatName());
      BadFileException e = assertThrows(BadFileException.class, () ->
          new Converter(memory.allocator()).convert(input, FileFormat.IPC_STREAM, out, to, ConvertOptions.DEFAULTS));
      assertTrue(e.getMessage().startsWith(input.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("column 's'") && e.getMessage().contains("offset 10 (-1) is less than"),
          to + ": " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
      assertFalse(Files.exists(out), to + ": no output");
      assertEquals(List.of(), leftovers(), to + ": no partial file");
      assertEquals(0, memory.allocator().getAllocatedMemory(), to + ": memory back to zero");
    }
  }

  @Test
  void aStoredSchemaClaimingAGibibyteIsNotAllocated() throws Exception {
    Path input = Fixtures.path("hostile/parquet-arrow-schema-claims-1gib.parquet");
    for (FileFormat to : TARGETS) {
      Path out = tmp.resolve("out." + to.formatName());
      try {
        new Converter(memory.allocator()).convert(input, FileFormat.PARQUET, out, to, ConvertOptions.DEFAULTS);
      } catch (BadFileException e) {
        assertTrue(e.getMessage().startsWith(input.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(out), to + ": no output");
      }
      assertEquals(0, memory.allocator().getAllocatedMemory(), to + ": memory back to zero");
    }
  }

  private List<Path> leftovers() throws Exception {
    try (var s = Files.list(tmp)) {
      return s.toList();
    }
  }
}
