package io.arrownpz.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replaced file is let go of after the rename, off the writer's path, and never kept. */
class ReplacedFilesTest {
  @TempDir Path tmp;

  private static BasicFileAttributes attributes(Path p) throws IOException {
    return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  private static byte[] filled(int size, int value) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  /** This process's descriptors that point at a deleted file named {@code name}. */
  private static long deletedDescriptors(String name) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().endsWith(name + " (deleted)");
        } catch (IOException gone) {
          return false;
        }
      }).count();
    }
  }

  @Test
  void onlyLargeRegularFilesAreHeld() throws IOException {
    Path small = Files.write(tmp.resolve("small.bin"), filled(1000, 1));
    Path large = Files.write(tmp.resolve("large.bin"), filled((int) ReplacedFiles.MIN_SIZE, 2));
    Path link = Files.createSymbolicLink(tmp.resolve("link.bin"), large);
    assertNull(ReplacedFiles.hold(small, attributes(small)));
    assertNull(ReplacedFiles.hold(tmp.resolve("missing.bin"), null));
    assertNull(ReplacedFiles.hold(link, attributes(link)), "a link is written through, never held");
    assertNull(ReplacedFiles.hold(tmp, attributes(tmp)));
    FileChannel held = ReplacedFiles.hold(large, attributes(large));
    assertNotNull(held);
    held.close();
  }

  @Test
  void theHeldFileKeepsItsBytesUntilReleasedAndIsThenClosed() throws Exception {
    Path target = Files.write(tmp.resolve("target.bin"), filled(2 << 20, 3));
    FileChannel held = ReplacedFiles.hold(target, attributes(target));
    Path fresh = Files.write(tmp.resolve("fresh.bin"), filled(10, 4));
    Files.move(fresh, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    ByteBuffer first = ByteBuffer.allocate(1);
    held.read(first, (2 << 20) - 1);
    assertEquals(3, first.get(0), "the old bytes, through the descriptor held across the rename");
    assertEquals(1, deletedDescriptors("target.bin"));
    ReplacedFiles.release(held);
    assertTrue(ReplacedFiles.WORKER.awaitIdle(10_000));
    assertFalse(held.isOpen());
    assertEquals(0, deletedDescriptors("target.bin"), "the old file let go of, so its blocks are free");
  }

  @Test
  void atomicFileReplacingALargeFileLeavesTheNewBytesAndHoldsNothing() throws Exception {
    Path target = Files.write(tmp.resolve("out.bin"), filled(3 << 20, 5));
    for (int round = 0; round < 3 * ReplacedFiles.MAX_PENDING; round++) { // more than may wait at once
      byte[] bytes = filled((2 << 20) + round, round);
      try (AtomicFile out = AtomicFile.create(target)) {
        out.channel().write(ByteBuffer.wrap(bytes));
        out.commit();
      }
      assertArrayEquals(bytes, Files.readAllBytes(target));
      assertTrue(ReplacedFiles.WORKER.pending() <= ReplacedFiles.MAX_PENDING + 1);
    }
    assertTrue(ReplacedFiles.WORKER.awaitIdle(10_000));
    assertEquals(0, deletedDescriptors("out.bin"));
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(1, left.count(), "no temporary left beside the output");
    }
  }
}
