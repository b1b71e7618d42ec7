package io.arrownpz.npy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every broken NPY fixture gets a BadFileException naming the file and the problem, before any mapping. */
class BadNpyFilesTest {
  static Stream<String> badNpyFiles() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.path("bad"))) {
      List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted().toList();
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNpyFiles")
  void refusedWithAClearError(String name) {
    Path file = Fixtures.path("bad/" + name);
    BadFileException e = assertThrows(BadFileException.class, () -> NpyFile.open(file).close());
    assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
    assertTrue(e.problem().length() > 10, e.getMessage());
    BadFileException ranged = assertThrows(BadFileException.class, () -> NpyFile.openRows(file, 0, 0).close());
    assertTrue(ranged.getMessage().startsWith(file.toString() + ": "), ranged.getMessage());
  }

  @Test
  void specificProblemsAreNamed() {
    assertProblem("bad_magic.npy", "bad magic");
    assertProblem("bad_version.npy", "version 9.0");
    assertProblem("empty.npy", "empty file");
    assertProblem("header_len_past_end.npy", "runs past the end");
    assertProblem("header_not_dict.npy", "not a Python dict");
    assertProblem("missing_key.npy", "no 'fortran_order' key");
    assertProblem("negative_shape.npy", "negative dimension");
    assertProblem("non_ascii_header.npy", "malformed header");
    assertProblem("object_pickle.npy", "pickled Python objects, which are never loaded");
    assertProblem("shape_larger_than_data.npy", "truncated data");
    assertProblem("shape_overflow.npy", "overflows");
    assertProblem("structured.npy", "structured dtypes");
    assertProblem("truncated_data.npy", "truncated data");
    assertProblem("truncated_header.npy", "runs past the end");
    assertProblem("unknown_descr.npy", "unknown dtype '<q9'");
  }

  @Test
  void missingFileIsNamed() {
    BadFileException e = assertThrows(BadFileException.class, () -> NpyFile.open(Path.of("no/such.npy")));
    assertTrue(e.getMessage().contains("no such file"));
  }

  private static void assertProblem(String name, String fragment) {
    BadFileException e = assertThrows(BadFileException.class, () -> NpyFile.readHeader(Fixtures.path("bad/" + name)));
    assertTrue(e.problem().contains(fragment), name + ": " + e.getMessage());
  }

  @org.junit.jupiter.api.io.TempDir Path tmp;

  /** An NPY 1.0 file with this header text (padded) and {@code dataBytes} zero bytes after it. */
  private Path npy(String name, String header, int dataBytes) throws IOException {
    StringBuilder text = new StringBuilder(header);
    while ((10 + text.length() + 1) % 64 != 0) {
      text.append(' ');
    }
    text.append('\n');
    byte[] head = text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) head.length, (byte) (head.length >> 8)});
    out.write(head);
    out.write(new byte[dataBytes]);
    Path file = tmp.resolve(name);
    Files.write(file, out.toByteArray());
    return file;
  }

  /** Hostile headers: each a clear error naming the file, never a stack overflow or an arithmetic one. */
  @Test
  void hostileHeaders() throws IOException {
    String deep = "{'descr': '<i8', 'fortran_order': False, 'shape': " + "(".repeat(30_000) + "}";
    assertRefused(npy("deep_shape.npy", deep, 0), "nested more than");
    String deepDescr = "{'descr': " + "[".repeat(30_000) + "}";
    assertRefused(npy("deep_descr.npy", deepDescr, 0), "nested more than");
    String longInt = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + "9".repeat(60_000) + ",), }";
    assertRefused(npy("long_int.npy", longInt, 0), "digits");
    assertRefused(npy("multiplier.npy", "{'descr': '<M8[10000000000000000s]', 'fortran_order': False, 'shape': (1,), }", 8),
        "multiplier out of range");
    // The whole shape as written is shown, not the dimensions read before the overflow.
    assertRefused(npy("overflow3.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (4611686018427387904, 4, 3), }", 0),
        "(4611686018427387904, 4, 3) overflows");
  }

  /**
   * A valid header whose rows Arrow cannot hold (one tensor of 2^63-1 elements, zero rows): described,
   * and refused on reading as valid-but-unsupported, naming the file, not an internal error.
   */
  @Test
  void tensorsArrowCannotHold() throws IOException {
    Path file = npy("huge_rows.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 9223372036854775807), }", 0);
    io.arrownpz.NpyInfo info = (io.arrownpz.NpyInfo) io.arrownpz.NumpyTables.describe(file);
    assertTrue(info.arrowType().startsWith("none: "), info.arrowType());
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator()) {
      io.arrownpz.UnsupportedFileException e = assertThrows(io.arrownpz.UnsupportedFileException.class,
          () -> io.arrownpz.NumpyTables.read(file, allocator).close());
      assertTrue(e.getMessage().startsWith(file + ": column 'huge_rows': one tensor"), e.getMessage());
    }
  }

  /** A 77-byte file of a billion zero-width strings is not expanded into gigabytes of offsets. */
  @Test
  void zeroWidthArraysAreNotExpandedPastABound() throws IOException {
    Path file = npy("s0.npy", "{'descr': '|S0', 'fortran_order': False, 'shape': (1000000000,), }", 0);
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator()) {
      io.arrownpz.UnsupportedFileException e = assertThrows(io.arrownpz.UnsupportedFileException.class,
          () -> io.arrownpz.NumpyTables.read(file, allocator).close());
      assertTrue(e.getMessage().contains("zero-width dtype |S0"), e.getMessage());
      assertTrue(allocator.getPeakMemoryAllocation() < 1 << 20, "nothing large was allocated");
    }
    Path small = npy("s0_small.npy", "{'descr': '|S0', 'fortran_order': False, 'shape': (1000,), }", 0);
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
         org.apache.arrow.vector.VectorSchemaRoot table = io.arrownpz.NumpyTables.read(small, allocator)) {
      assertTrue(table.getRowCount() == 1000, "a reasonable zero-width array still reads");
    }
  }

  private static void assertRefused(Path file, String fragment) {
    BadFileException e = assertThrows(BadFileException.class, () -> NpyFile.readHeader(file));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    assertTrue(e.problem().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().length() < 300, "one short line: " + e.getMessage().length());
  }
}
