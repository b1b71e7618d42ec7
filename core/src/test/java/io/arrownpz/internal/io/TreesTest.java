package io.arrownpz.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting a tree removes everything in it, directories after their entries, and only links, never what
 * they point to (a link to a directory outside the tree leaves that directory whole).
 */
class TreesTest {
  @TempDir Path tmp;

  @Test
  void aTreeGoesWholeAndLinksLeaveTheirTargets() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("kept.txt"), "kept");
    Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
    Path root = tmp.resolve("tree");
    for (int i = 0; i < 300; i++) {
      Files.write(tree.resolve("f" + i + ".npy"), new byte[] {1, 2, 3});
    }
    Files.writeString(root.resolve("top.json"), "{}");
    Files.createSymbolicLink(root.resolve("a/to-outside"), outside);
    Files.createSymbolicLink(root.resolve("a/dangling"), tmp.resolve("nowhere"));

    Trees.delete(root);

    assertFalse(Files.exists(root, LinkOption.NOFOLLOW_LINKS));
    assertEquals("kept", Files.readString(outside.resolve("kept.txt")));
    Trees.delete(root); // nothing there: nothing happens
    Path file = Files.writeString(tmp.resolve("one.npz"), "x");
    Trees.delete(file);
    assertFalse(Files.exists(file));
    assertTrue(Files.isDirectory(outside));
  }
}
