package io.arrownpz.io;

import io.arrownpz.internal.io.AtomicFile;
import io.arrownpz.internal.io.Trees;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output files as Unix users expect: links written through, pipes and devices streamed to, modes kept. */
class AtomicFileTest {
  @TempDir Path tmp;

  private static void write(Path target, String text) throws IOException {
    try (AtomicFile out = AtomicFile.create(target)) {
      out.channel().write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      out.commit();
    }
  }

  private long entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void aNewFileGetsTheModeTheUmaskGivesAndAReplacedOneKeepsItsOwn() throws IOException {
    Path probe = Files.createFile(tmp.resolve("probe")); // what any program's new file gets here
    Path fresh = tmp.resolve("fresh.bin");
    write(fresh, "new");
    assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(fresh));
    Path existing = tmp.resolve("existing.bin");
    Files.writeString(existing, "old");
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r-----"));
    write(existing, "new");
    assertEquals("new", Files.readString(existing));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(existing)));
  }

  @Test
  void aDirectoryIsNeverReplacedByAFileAndTheRefusalNamesIt() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("out"));
    Files.writeString(dir.resolve("kept.txt"), "kept");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("out"));
    for (Path target : java.util.List.of(dir, link)) {
      java.nio.file.FileSystemException e = assertThrows(java.nio.file.FileSystemException.class,
          () -> write(target, "never"));
      // named as the user gave it, or (through a link) as the directory it leads to
      assertTrue(e.getMessage().matches(".*/(out|link): is a directory; not replaced by a file"), e.getMessage());
    }
    assertEquals("kept", Files.readString(dir.resolve("kept.txt")));
    assertEquals(1, entries(dir));
    assertEquals(2, entries(tmp)); // out and link: no partial file left beside them
  }

  @Test
  void symbolicLinksAreWrittenThroughAndStayLinks() throws IOException {
    Path real = Files.writeString(tmp.resolve("real.bin"), "old");
    Path relative = Files.createSymbolicLink(tmp.resolve("relative.bin"), Path.of("real.bin"));
    Path chained = Files.createSymbolicLink(tmp.resolve("chained.bin"), relative.toAbsolutePath());
    write(chained, "through two links");
    assertTrue(Files.isSymbolicLink(relative) && Files.isSymbolicLink(chained));
    assertEquals("through two links", Files.readString(real));
    Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.bin"), tmp.resolve("sub/made.bin"));
    write(dangling, "made");
    assertTrue(Files.isSymbolicLink(dangling));
    assertEquals("made", Files.readString(tmp.resolve("sub/made.bin")));
    Path loop = Files.createSymbolicLink(tmp.resolve("loop.bin"), Path.of("loop.bin"));
    assertThrows(IOException.class, () -> write(loop, "never"));
    assertEquals(6, entries(tmp)); // real, the four links, sub/: nothing else was made
  }

  @Test
  void aPipeGetsTheBytesAndIsNeverReplaced() throws Exception {
    Path fifo = tmp.resolve("pipe");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo is not available");
    CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readString(fifo);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    write(fifo, "streamed to a reader");
    assertEquals("streamed to a reader", reader.get(30, TimeUnit.SECONDS));
    assertFalse(Files.isRegularFile(fifo), "the pipe was replaced");
    assertEquals(1, entries(tmp));
  }

  @Test
  void devicesAreWrittenToNotRenamedOver() throws IOException {
    Path devNull = Path.of("/dev/null");
    assumeTrue(Files.exists(devNull));
    write(devNull, "discarded");
    assertFalse(Files.isRegularFile(devNull));
    assertTrue(AtomicFile.isStream(Path.of("/dev/stdout")));
    assertTrue(AtomicFile.isStream(Path.of("/dev/fd/1")));
  }

  /** /dev/shm is a tmpfs where programs keep ordinary files: they are created and replaced as anywhere. */
  @Test
  void filesInDevShmAreFiles() throws IOException {
    Path shm = Path.of("/dev/shm");
    assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm));
    Path target = Files.createTempDirectory(shm, "arrownpz-test").resolve("out.bin");
    try {
      assertFalse(AtomicFile.isStream(target));
      write(target, "first");
      assertEquals("first", Files.readString(target));
      write(target, "second");
      assertEquals("second", Files.readString(target));
      assertEquals(1, entries(target.getParent()));
    } finally {
      Trees.delete(target.getParent());
    }
  }

  @Test
  void aWriteNotCommittedLeavesTheOldFileAndNothingElse() throws IOException {
    Path target = Files.writeString(tmp.resolve("keep.bin"), "old");
    try (AtomicFile out = AtomicFile.create(target)) {
      out.channel().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }
    assertArrayEquals("old".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
    assertEquals(1, entries(tmp));
  }

  /**
   * What a killed writer left (".NAME.HOST-PID-*.partial" of a process that is gone) is removed by the
   * next write into that directory, whatever name it writes; a live writer's partial file and another
   * host's stay.
   */
  @Test
  void staleTemporariesOfDeadWritersAreRemoved() throws Exception {
    ProcessHandle gone = finishedProcess();
    String host = hostAsWritersName();
    Path dead = Files.writeString(tmp.resolve(".out.npz." + host + "-" + gone.pid() + "-abc.partial"), "stale");
    Path deadDir = Files.createDirectories(tmp.resolve(".out.npz." + host + "-" + gone.pid() + "-dir.partial"));
    Files.writeString(deadDir.resolve("x.npy"), "stale");
    Path live = Files.writeString(tmp.resolve(".out.npz." + host + "-" + ProcessHandle.current().pid() + "-def.partial"),
        "mine");
    Path otherHost = Files.writeString(tmp.resolve(".out.npz.elsewhere-" + gone.pid() + "-ghi.partial"), "theirs");
    Path otherName = Files.writeString(tmp.resolve(".other.npz." + host + "-" + gone.pid() + "-jkl.partial"), "x");
    write(tmp.resolve("out.npz"), "new");
    assertEquals("new", Files.readString(tmp.resolve("out.npz")));
    assertTrue(Files.notExists(dead) && Files.notExists(deadDir), "a dead writer's partial entries are gone");
    assertTrue(Files.notExists(otherName), "a dead writer's entry for another output is gone too");
    assertTrue(Files.exists(live) && Files.exists(otherHost), "the others stay");
  }

  /**
   * A directory is listed once per process, at its first write: every dead writer's entry found then is
   * removed whatever its name; an entry whose writer was alive then and died later is removed by the
   * write of its name.
   */
  @Test
  void staleEntriesAreRemovedAtTheFirstWriteAndByTheirNameLater() throws Exception {
    ProcessHandle gone = finishedProcess();
    String host = hostAsWritersName();
    Path deadA = Files.writeString(tmp.resolve(".a.v1.npz." + host + "-" + gone.pid() + "-x1.partial"), "stale");
    Path deadB = Files.writeString(tmp.resolve(".b.npz." + host + "-" + gone.pid() + "-x2.partial"), "stale");
    Process running = new ProcessBuilder("sleep", "30").start();
    try {
      Path laterDead = Files.writeString(tmp.resolve(".d.npz." + host + "-" + running.pid() + "-x3.partial"), "live");
      write(tmp.resolve("c.npz"), "first");
      assertTrue(Files.notExists(deadA) && Files.notExists(deadB), "every dead writer's entry, whatever its name");
      assertTrue(Files.exists(laterDead), "a live writer's entry stays");
      running.destroyForcibly().waitFor();
      write(tmp.resolve("d.npz"), "second");
      assertTrue(Files.notExists(laterDead), "removed by the write of its name once its writer is gone");
      assertEquals("second", Files.readString(tmp.resolve("d.npz")));
    } finally {
      running.destroyForcibly();
    }
  }

  /** A process that has ended: its id names no live writer. */
  private static ProcessHandle finishedProcess() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    return gone.toHandle();
  }

  /** This host's name as partial entries carry it. */
  private static String hostAsWritersName() throws Exception {
    return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.]", "_");
  }
}
