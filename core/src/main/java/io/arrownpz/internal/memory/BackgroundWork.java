package io.arrownpz.internal.memory;

import io.arrownpz.internal.io.AtomicFile;

/**
 * The clean-up that reads and writes leave to background threads so that they return sooner: mappings
 * taken down ({@link Retirements}) and replaced files let go of. A benchmark that times another program
 * right after one of ours waits for it first, so that the other program does not pay for it.
 */
public final class BackgroundWork {
  private BackgroundWork() {}

  /** Waits until no such clean-up is left, at most {@code millis} for each kind; whether that happened. */
  public static boolean awaitIdle(long millis) throws InterruptedException {
    boolean unmapped = Retirements.SHARED.awaitIdle(millis);
    return AtomicFile.awaitReplacedReleased(millis) && unmapped;
  }
}
