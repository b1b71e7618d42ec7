package io.arrownpz.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.arrownpz.internal.npy.HeaderCache;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.FileStates;
import io.arrownpz.testing.PythonPeer;
import io.arrownpz.testing.TickWindow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.arrow.memory.util.MemoryUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An NPY file kept mapped and opened again takes the header read at an earlier open of the same mapping
 * rather than reading it again, and only while the file is in the state it was mapped in: rewritten in
 * place (same size, its modification time put back) or replaced by a rename, its new header is read, and
 * so is the header kept from then on.
 */
class KeptHeadersTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @RegisterExtension final TickWindow tickWindow = new TickWindow();
  @TempDir Path tmp;

  @Test
  void aKeptFileOpenedAgainTakesItsHeaderUntilTheFileChanges() throws IOException {
    PythonPeer.require("numpy");
    // Three files of one size and header length: only the header says float64, int64 or float32. Each is
    // past the size read rather than mapped, so the first open maps and keeps it.
    PythonPeer.run("""
        import sys, numpy as np
        d = sys.argv[1]
        np.save(d + '/f8.npy', np.arange(20000, dtype='<f8') * 0.5)
        np.save(d + '/i8.npy', np.arange(20000, dtype='<i8') * 3)
        np.save(d + '/f4.npy', np.arange(40000, dtype='<f4') * 2)
        """, tmp.toString());
    Path file = tmp.resolve("data.npy");
    Files.copy(tmp.resolve("f8.npy"), file);
    FileStates.settle();
    HeaderCache cache = new HeaderCache();

    try (NpyArray first = NpyFile.open(file, cache, memory.allocator())) {
      assertEquals("<f8", first.header().dtype().descr());
    }
    for (int pass = 0; pass < 2; pass++) { // the header read, then the one kept with the mapping
      try (NpyArray again = NpyFile.openKept(file, cache)) {
        assertNotNull(again, "kept by the first open");
        assertEquals("<f8", again.header().dtype().descr());
      }
    }
    try (NpyArray third = NpyFile.openKept(file, cache)) {
      assertEquals(1.5, Double.longBitsToDouble(MemoryUtil.getLong(third.dataAddress() + 3 * 8)));
      assertEquals(file.toString(), third.source(), "named by its path when asked");
    }

    // Rewritten in place: the same size, and its old modification time put back.
    BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
    Files.write(file, Files.readAllBytes(tmp.resolve("i8.npy")));
    Files.setLastModifiedTime(file, before.lastModifiedTime());
    assertEquals(before.size(), Files.size(file));
    FileStates.settle();
    assertNull(NpyFile.openKept(file, cache), "another state of the file: its old mapping is not used");
    try (NpyArray rewritten = NpyFile.open(file, cache, memory.allocator())) {
      assertEquals("<i8", rewritten.header().dtype().descr());
      assertEquals(9L, MemoryUtil.getLong(rewritten.dataAddress() + 3 * 8));
    }
    try (NpyArray again = NpyFile.openKept(file, cache)) {
      assertNotNull(again);
      assertEquals("<i8", again.header().dtype().descr());
      assertEquals(9L, MemoryUtil.getLong(again.dataAddress() + 3 * 8));
    }

    // Replaced by a rename: another file at the same path.
    Files.move(tmp.resolve("f4.npy"), file, StandardCopyOption.REPLACE_EXISTING);
    FileStates.settle();
    try (NpyArray replaced = NpyFile.open(file, cache, memory.allocator())) {
      assertEquals("<f4", replaced.header().dtype().descr());
      assertEquals(6f, Float.intBitsToFloat(MemoryUtil.getInt(replaced.dataAddress() + 3 * 4)));
    }
    try (NpyArray again = NpyFile.openKept(file, cache)) {
      assertEquals("<f4", again.header().dtype().descr());
      assertEquals(6f, Float.intBitsToFloat(MemoryUtil.getInt(again.dataAddress() + 3 * 4)));
    }
  }
}
