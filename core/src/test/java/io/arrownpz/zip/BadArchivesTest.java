package io.arrownpz.zip;

import io.arrownpz.internal.io.SafeNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.BadFileException;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Broken archives get a clear error naming the archive and the member; unsafe names never leave a directory. */
class BadArchivesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void badCrcIsCaught() {
    BadFileException e = readAll("bad/bad_crc.npz");
    assertEquals("a.npy", e.member());
    assertTrue(e.problem().contains("CRC-32 mismatch"), e.getMessage());
  }

  @Test
  void corruptDeflateStreamIsCaught() {
    BadFileException e = readAll("bad/corrupt_deflate.npz");
    assertEquals("a.npy", e.member());
    // Flipped bits may still inflate; then the CRC-32 check is what catches them.
    assertTrue(e.problem().contains("corrupt deflate stream") || e.problem().contains("truncated or corrupt")
        || e.problem().contains("CRC-32 mismatch"), e.getMessage());
  }

  @Test
  void lyingDeclaredSizeIsCaughtWithoutInflatingFurther() {
    BadFileException e = readAll("bad/declared_size_lies.npz");
    assertEquals("bomb.npy", e.member());
    assertTrue(e.problem().contains("inflates past its declared size of 100 bytes"), e.getMessage());
  }

  @Test
  void truncatedCentralDirectoryIsCaught() {
    BadFileException e = readAll("bad/truncated_central_directory.npz");
    assertTrue(e.getMessage().startsWith(Fixtures.path("bad/truncated_central_directory.npz") + ": "), e.getMessage());
    assertTrue(e.problem().contains("central directory") || e.problem().contains("not a ZIP"), e.getMessage());
  }

  @Test
  void npyFilesAreNotArchives() {
    BadFileException e = assertThrows(BadFileException.class,
        () -> NpzArchive.open(Fixtures.path("npy/le_f8.npy")).close());
    assertTrue(e.problem().contains("not a ZIP archive"), e.getMessage());
  }

  @Test
  void traversalNamesReadByNameButNeverResolveOutside() throws IOException {
    try (NpzArchive npz = NpzArchive.open(Fixtures.path("bad/path_traversal.npz"))) {
      for (ZipEntry entry : npz.entries()) {
        try (NpyArray array = npz.array(entry, memory.allocator());
             FieldVector v = new NpyVectorReader(memory.allocator()).read(array, "x")) {
          assertEquals(10, v.getValueCount());
        }
        assertThrows(IllegalArgumentException.class, () -> SafeNames.resolveInside(tmp, entry.name()));
      }
    }
    assertEquals(tmp.resolve("a.npy").toAbsolutePath(), SafeNames.resolveInside(tmp, "a.npy"));
    for (String unsafe : new String[] {"../x", "a/../../x", "/etc/x", "C:x", "a\\b", "", ".", "a//b"}) {
      assertThrows(IllegalArgumentException.class, () -> SafeNames.resolveInside(tmp, unsafe), unsafe);
    }
  }

  /** Opens the archive and reads every member, returning the error that must come. */
  private BadFileException readAll(String fixture) {
    return assertThrows(BadFileException.class, () -> {
      try (NpzArchive npz = NpzArchive.open(Fixtures.path(fixture))) {
        for (ZipEntry entry : npz.entries()) {
          try (NpyArray array = npz.array(entry, memory.allocator());
               FieldVector v = new NpyVectorReader(memory.allocator()).read(array, "x")) {
            v.getValueCount();
          }
        }
      }
    });
  }
}
