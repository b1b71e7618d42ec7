package io.arrownpz.testing;

import io.arrownpz.internal.io.FileState;

/** For tests of what is kept from files named by their state ({@link FileState}). */
public final class FileStates {
  private FileStates() {}

  /**
   * Waits until files written before the call have a state: a file whose status changed within the last
   * {@link FileState#SETTLE_MILLIS} has none yet, and nothing made from its bytes is kept.
   */
  public static void settle() {
    try {
      Thread.sleep(FileState.SETTLE_MILLIS + 20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while files settled", e);
    }
  }
}
