package io.arrownpz.internal.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Keeps a file that a rename is about to replace open across the rename, and closes it afterwards on the
 * clean-up worker. The rename that drops a file's last link also frees its blocks, in the renaming call:
 * replacing an 8 MB file on ext4 took 2.6-3.5 ms in rename(2), most of an NPZ write of a uniform frame
 * (7.7 ms, against 5.1 ms to a new path); with the old file held open, rename took 0.18 ms and the blocks
 * were freed by the later close. A writer's output is in place, atomically, as before; only the freeing of
 * the old bytes moves off its path. A file that is still open elsewhere, or whose process exits first, is
 * freed by the kernel when the last holder lets go, as always.
 */
final class ReplacedFiles {
  /** Smaller files are freed by the rename itself: waking the worker would cost more. */
  static final long MIN_SIZE = 1L << 20;
  /** Replaced files that may wait at once to be closed; past it the writer closes its own. */
  static final int MAX_PENDING = 8;

  static final CleanupWorker WORKER = new CleanupWorker("arrow-npz-release", MAX_PENDING);

  private ReplacedFiles() {}

  /**
   * The file about to be replaced, opened for reading, when it is a regular file of {@link #MIN_SIZE} or more
   * (its attributes {@code old}, null when nothing is there); null otherwise, or when it cannot be opened
   * (holding it is only ever a saving).
   */
  static FileChannel hold(Path target, BasicFileAttributes old) {
    if (old == null || !old.isRegularFile() || old.size() < MIN_SIZE) {
      return null;
    }
    try {
      return FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  /** Lets go of a file from {@link #hold} (null: nothing held), on the worker when it can take it. */
  static void release(FileChannel held) {
    if (held != null) {
      WORKER.runOrHandOver(() -> {
        try {
          held.close();
        } catch (IOException ignored) {
          // a read-only descriptor: nothing was written through it that a failed close could lose
        }
      });
    }
  }
}
