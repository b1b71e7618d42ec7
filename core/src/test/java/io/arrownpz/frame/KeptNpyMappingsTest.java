package io.arrownpz.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.internal.memory.KeptMappings;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.NpyDirectories;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The big files of a StaticFrame NPY directory are mapped once and the mappings kept: a frame read again
 * from unchanged files points into the same mappings, found with one {@code statx} a file. A file
 * rewritten in place (same size, its modification time put back, read at once: no settled state), or
 * replaced, reads its new values; a directory written anew lets the old files' mappings go.
 */
class KeptNpyMappingsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final int ROWS = 20_000; // 160 KB a column: past the 64 KiB under which a file is read, not mapped

  @Test
  void aFrameReadAgainPointsIntoTheSameMappingsAndSeesEveryChange() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        r = np.arange(20000)
        for k in (1, 2, 3):
            sf.Frame.from_dict({'i': r * 3 + k, 'f': r / 4.0 + k}).to_npy(sys.argv[1] + '/k%d' % k)
        """, tmp.toString());
    Path dir = NpyDirectories.copy(tmp.resolve("k1"), tmp.resolve("frame"));
    FrameReader reader = new FrameReader(memory.allocator());
    long first;
    try (VectorSchemaRoot one = NpyDirectories.read(reader, dir)) {
      check(one, 1, "first read");
      first = address(one);
      try (VectorSchemaRoot two = NpyDirectories.read(reader, dir)) {
        check(two, 1, "second read");
        assertEquals(first, address(two), "the same mapping");
      }
    }
    List<Path> bigFiles = NpyDirectories.files(dir).stream().filter(f -> size(f) > 64 << 10).toList();
    assertEquals(2, bigFiles.size(), "a file a column");
    bigFiles.forEach(f -> assertTrue(KeptMappings.SHARED.holdsPath(f), f + " kept"));
    try (VectorSchemaRoot three = NpyDirectories.read(reader, dir)) {
      check(three, 1, "third read, the first two closed");
      assertEquals(first, address(three), "kept while no read holds it");
    }

    // Every file rewritten in place with the next frame's bytes, its modification time put back.
    NpyDirectories.rewriteInPlace(tmp.resolve("k2"), dir);
    try (VectorSchemaRoot rewritten = NpyDirectories.read(reader, dir)) {
      check(rewritten, 2, "rewritten in place");
    }
    for (Path member : NpyDirectories.files(tmp.resolve("k3"))) {
      Files.move(member, dir.resolve(member.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    try (VectorSchemaRoot replaced = NpyDirectories.read(reader, dir)) {
      check(replaced, 3, "replaced");
    }

    try (VectorSchemaRoot table = NpyDirectories.read(reader, dir)) {
      FrameWriter.writeNpyDirectory(table, dir, FrameWriteOptions.DEFAULTS);
    }
    bigFiles.forEach(f -> assertFalse(KeptMappings.SHARED.holdsPath(f), f + ": written anew, let go"));
    try (VectorSchemaRoot ours = NpyDirectories.read(reader, dir)) {
      check(ours, 3, "written by us");
    }
  }

  /**
   * Small files (64 KiB or less) are read on a first open, and mapped and kept from their second on (while
   * fewer than half the mappings that may be kept are): a third open points into the second's mappings.
   * A small file rewritten in place reads its new values.
   */
  @Test
  void smallFilesAreKeptFromTheirSecondOpen() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        r = np.arange(4000)
        for k in (1, 2):
            sf.Frame.from_dict({'i': r * 3 + k, 'b': (r + k) % 3 == 0,
                                's': np.array(['w%03d' % ((x + k) % 1000) for x in r], dtype='<U4')}).to_npy(
                sys.argv[1] + '/s%d' % k)
        """, tmp.toString());
    Path dir = NpyDirectories.copy(tmp.resolve("s1"), tmp.resolve("small"));
    List<Path> columns = NpyDirectories.files(dir).stream().filter(f -> f.getFileName().toString().startsWith("__values_")
        || f.getFileName().toString().startsWith("__blocks_")).toList();
    columns.forEach(f -> assertTrue(size(f) <= 64 << 10, f + " is small"));
    KeptMappings.SHARED.clear();
    FrameReader reader = new FrameReader(memory.allocator());
    try (VectorSchemaRoot once = NpyDirectories.read(reader, dir)) {
      checkSmall(once, 1, "first open");
    }
    Path column = dir.resolve("__blocks_0__.npy");
    assertFalse(KeptMappings.SHARED.holdsPath(column), "read once: not kept");
    long address;
    try (VectorSchemaRoot again = NpyDirectories.read(reader, dir)) {
      checkSmall(again, 1, "second open");
      address = again.getVector("i").getDataBuffer().memoryAddress();
    }
    assertTrue(KeptMappings.SHARED.holdsPath(column), "opened again: kept");
    try (VectorSchemaRoot third = NpyDirectories.read(reader, dir)) {
      checkSmall(third, 1, "third open");
      assertEquals(address, third.getVector("i").getDataBuffer().memoryAddress(), "the second open's mapping");
    }
    NpyDirectories.rewriteInPlace(tmp.resolve("s2"), dir);
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot rewritten = NpyDirectories.read(reader, dir)) {
        checkSmall(rewritten, 2, "rewritten in place, open " + pass);
      }
    }
  }

  /**
   * StaticFrame's NPY directories of no rows, and of big-endian columns, kept from their second open as
   * any small files are: the same schema and values every time.
   */
  @Test
  void emptyAndBigEndianDirectoriesReadTheSameEachTime() throws IOException {
    PythonPeer.require("static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        sf.Frame.from_dict({'i': np.array([], dtype='>i8'), 'b': np.array([], dtype=bool)}).to_npy(sys.argv[1] + '/empty')
        r = np.arange(3000)
        sf.Frame.from_dict({'i': (r * 7).astype('>i8'), 'f': (r / 8.0).astype('>f8')}).to_npy(sys.argv[1] + '/big_endian')
        """, tmp.toString());
    Path empty = NpyDirectories.copy(tmp.resolve("empty"), tmp.resolve("empty_copy"));
    Path bigEndian = NpyDirectories.copy(tmp.resolve("big_endian"), tmp.resolve("big_endian_copy"));
    KeptMappings.SHARED.clear();
    FrameReader reader = new FrameReader(memory.allocator());
    String schema = null;
    for (int pass = 0; pass < 3; pass++) {
      try (VectorSchemaRoot none = NpyDirectories.read(reader, empty);
          VectorSchemaRoot swapped = NpyDirectories.read(reader, bigEndian)) {
        assertEquals(0, none.getRowCount(), "open " + pass);
        assertEquals(List.of("i", "b"), none.getSchema().getFields().stream().map(f -> f.getName()).toList());
        String now = none.getSchema().getFields().toString();
        assertEquals(schema == null ? now : schema, now, "the same fields, open " + pass);
        schema = now;
        assertEquals(3000, swapped.getRowCount());
        for (int r = 0; r < 3000; r += 101) {
          assertEquals((long) r * 7, swapped.getVector("i").getObject(r), "open " + pass + " i row " + r);
          assertEquals(r / 8.0, swapped.getVector("f").getObject(r), "open " + pass + " f row " + r);
        }
      }
    }
    assertTrue(KeptMappings.SHARED.holdsPath(bigEndian.resolve("__blocks_0__.npy")), "kept from the second open");
  }

  private static void checkSmall(VectorSchemaRoot table, int k, String what) {
    assertEquals(4000, table.getRowCount(), what);
    for (int r = 0; r < 4000; r += 37) {
      assertEquals((long) r * 3 + k, table.getVector("i").getObject(r), what + " i row " + r);
      assertEquals((r + k) % 3 == 0, table.getVector("b").getObject(r), what + " b row " + r);
      assertEquals(String.format("w%03d", (r + k) % 1000), table.getVector("s").getObject(r).toString(),
          what + " s row " + r);
    }
  }


  private static void check(VectorSchemaRoot table, int k, String what) {
    assertEquals(ROWS, table.getRowCount(), what);
    for (int r = 0; r < ROWS; r += 997) {
      assertEquals((long) r * 3 + k, table.getVector("i").getObject(r), what + " i row " + r);
      assertEquals(r / 4.0 + k, table.getVector("f").getObject(r), what + " f row " + r);
    }
  }

  private static long address(VectorSchemaRoot table) {
    return table.getVector("i").getDataBuffer().memoryAddress();
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
