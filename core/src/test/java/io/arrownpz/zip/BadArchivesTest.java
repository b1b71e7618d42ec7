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
    for (String safe : new String[] {"a/b.npy", "..a", "a..", "...", ".hidden", "1:x"}) {
      assertEquals(tmp.resolve(safe), SafeNames.resolveInside(tmp, safe), safe);
    }
    for (String unsafe : new String[] {"../x", "a/../../x", "/etc/x", "C:x", "z:/x", "a\\b", "", ".", "..", "a//b",
        "a/", "a/./b", "a/..", "a\0b"}) {
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

  /** A STORED ZIP of members with these names, each holding its name's bytes. */
  private Path zipOf(String file, String... names) throws IOException {
    Path path = tmp.resolve(file);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path,
             java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
             java.nio.file.StandardOpenOption.READ);
         ZipWriter zip = new ZipWriter(ch, 0, 6)) {
      for (String name : names) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        zip.addStored(name, bytes.length, out -> out.write(java.nio.ByteBuffer.wrap(bytes)));
      }
      zip.finish();
    }
    return path;
  }

  /** Two members of one name: which one a reader gets is a guess (np.load takes the last), so refused. */
  @Test
  void repeatedNamesAreRefused() throws IOException {
    Path path = zipOf("dup.npz", "a.npy", "b.npy", "a.npy");
    BadFileException e = assertThrows(BadFileException.class, () -> ZipArchive.open(path).close());
    assertEquals("a.npy", e.member());
    assertTrue(e.problem().contains("appears twice"), e.getMessage());
  }

  /** Two central entries over one local header (a ZIP bomb's trick to count bytes twice): refused. */
  @Test
  void overlappingMembersAreRefused() throws IOException {
    Path path = zipOf("overlap.npz", "a.npy", "b.npy");
    byte[] bytes = java.nio.file.Files.readAllBytes(path);
    int central = -1;
    for (int i = bytes.length - 4; i >= 0 && central < 0; i--) {
      if (bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2) {
        central = i; // the last central entry: b.npy's
      }
    }
    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(central + 42, 0);
    java.nio.file.Files.write(path, bytes);
    BadFileException e = assertThrows(BadFileException.class, () -> ZipArchive.open(path).close());
    assertTrue(e.problem().contains("overlaps member"), e.getMessage());
  }
}
