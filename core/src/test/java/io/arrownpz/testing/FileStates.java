package io.arrownpz.testing;

import io.arrownpz.internal.io.FileState;

/**
 * For tests of what is kept from files named by their state ({@link FileState}): they cannot wait out the
 * kernel's writeback window (35 s and more) for the files they write to settle, so they shorten it to the
 * clock's tick while they run, as a process that knows no file is written through a mapping may.
 */
public final class FileStates {
  private FileStates() {}

  /** Files settle once they outlast the clock's tick, until {@link #restoreWindow}. */
  public static void useTickWindow() {
    FileState.settleWithin(FileState.TICK_SETTLE_MILLIS);
  }

  /** Back to the writeback window every process starts with. */
  public static void restoreWindow() {
    FileState.settleWithin(DEFAULT);
  }

  private static final long DEFAULT = FileState.settleMillis();

  /** Waits until files written before the call have settled under the tick window. */
  public static void settle() {
    try {
      Thread.sleep(FileState.TICK_SETTLE_MILLIS + 20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while files settled", e);
    }
  }
}
