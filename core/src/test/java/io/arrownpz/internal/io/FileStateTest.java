package io.arrownpz.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.FileStates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's state: what the kernel tells of it, given only once the file has settled. */
class FileStateTest {
  @TempDir Path tmp;

  @AfterEach
  void writebackWindow() {
    FileStates.restoreWindow();
  }

  @Test
  void theDefaultWindowOutlastsTheKernelsWriteback() throws IOException {
    Path expire = Path.of("/proc/sys/vm/dirty_expire_centisecs");
    Path writeback = Path.of("/proc/sys/vm/dirty_writeback_centisecs");
    if (Files.isReadable(expire) && Files.isReadable(writeback)) {
      long e = Long.parseLong(Files.readString(expire).trim());
      long w = Long.parseLong(Files.readString(writeback).trim());
      if (e > 0 && w > 0) {
        assertEquals((e + w) * 10 + 5_000, FileState.settleMillis());
      } else {
        assertTrue(FileState.settleMillis() > 1_000_000_000L, "no timed writeback: nothing settles");
      }
    } else {
      assertEquals(40_000, FileState.settleMillis());
    }
  }

  @Test
  void aFileJustWrittenHasNoStateUntilItSettles() throws IOException {
    long before = System.currentTimeMillis();
    Path file = Files.write(tmp.resolve("a.npy"), new byte[] {1, 2, 3});
    assertNull(FileState.of(file), "changed just now");
    FileState checksummed = FileState.ofChecksummed(file);
    if (System.currentTimeMillis() - before < FileState.TICK_SETTLE_MILLIS) { // unless this thread was held up
      assertNull(checksummed, "changed within the clock's tick");
    }
    FileStates.settle();
    assertNotNull(FileState.ofChecksummed(file), "past the tick: a checksummed file settles");
    assertNull(FileState.of(file), "within the writeback window: a file that may be written through a mapping does not");
    FileStates.useTickWindow();
    FileState state = FileState.of(file);
    assertNotNull(state, "with the window cut to the tick");
    assertEquals(3, state.size());
    assertTrue(state.holdsAt(file));
  }

  @Test
  void aFileRewrittenInPlaceWithItsTimesPutBackNoLongerHoldsItsState() throws IOException {
    FileStates.useTickWindow();
    Path file = Files.write(tmp.resolve("a.npy"), new byte[] {1, 2, 3});
    FileStates.settle();
    FileState before = FileState.of(file);
    assertNotNull(before);
    FileTime modified = Files.getLastModifiedTime(file);
    Files.write(file, new byte[] {4, 5, 6});
    Files.setLastModifiedTime(file, modified);
    assertEquals(modified, Files.getLastModifiedTime(file));
    assertFalse(before.holdsAt(file), "the status change time moved");
    FileStates.settle();
    FileState after = FileState.of(file);
    assertNotEquals(before, after);
    assertEquals(before.inode(), after.inode(), "the same file");
    assertEquals(before.modifiedNanos(), after.modifiedNanos(), "its modification time put back");
    Files.delete(file);
    assertFalse(after.holdsAt(file), "gone");
  }

  /** The state read through statx (JNA) is the one the JDK's attribute view gives, field for field. */
  @Test
  void statxAgreesWithTheJdk() throws IOException {
    Path file = Files.write(tmp.resolve("a.npy"), new byte[12345]);
    FileState jdk = FileState.fromAttributes(file);
    assertNotNull(jdk);
    if (NativeStat.AVAILABLE) {
      assertEquals(jdk, NativeStat.of(file));
    }
    assertEquals(12345, jdk.size());
    assertNull(NativeStat.AVAILABLE ? NativeStat.of(tmp.resolve("missing")) : null);
  }

  /**
   * A state taken by name in a directory held open is the one taken by the whole path; a file replaced
   * under the name gives the new file's; a missing name, or a directory that cannot be opened, gives none
   * or falls back to the whole path.
   */
  @Test
  void statesTakenByNameInAnOpenDirectoryAreThoseOfTheWholePath() throws IOException {
    Path file = Files.write(tmp.resolve("b.npy"), new byte[777]);
    Files.createDirectories(tmp.resolve("sub"));
    Path nested = Files.write(tmp.resolve("sub").resolve("c.npy"), new byte[55]);
    try (OpenDirectory open = OpenDirectory.open(tmp)) {
      assertEquals(FileState.current(file), open.current("b.npy"));
      assertEquals(FileState.current(nested), open.current("sub/c.npy"), "a name of two parts, by the whole path");
      assertNull(open.current("missing.npy"));
      Files.delete(file);
      Path replaced = Files.write(tmp.resolve("b.npy"), new byte[778]);
      assertEquals(778, open.current("b.npy").size(), "the file the name gives now");
      assertEquals(FileState.current(replaced), open.current("b.npy"));
    }
    try (OpenDirectory none = OpenDirectory.open(tmp.resolve("no-such-directory"))) {
      assertNull(none.current("b.npy"), "falls back to the whole path, which names nothing");
    }
  }
}
