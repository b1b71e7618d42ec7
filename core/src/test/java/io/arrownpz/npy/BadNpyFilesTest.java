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
}
