package io.arrownpz.internal.memory;

import io.arrownpz.internal.io.CleanupWorker;

/**
 * Retires released mappings ({@link NativeMapper#retire}) on a thread of its own, so that whoever let the
 * last reference go does not wait for the kernel. Replacing a mapping whose pages were touched takes down a
 * page-table entry per page: opening an NPZ frame that had just been rewritten (what {@code compare} does
 * every run) spent most of its time there, dropping the mapping kept for the file's old state (a tall
 * frame of 5.5 MB: 0.82 ms an open, 23 of its 36 profile samples in that one call).
 *
 * <p>Bounded both ways. A small mapping is retired by the caller, where a hand-over would cost more than the
 * work; so is a very large one, whose resident pages a memory-bounded reader (a conversion streaming a
 * file of gigabytes) must see go when it lets the mapping go. Once {@link #MAX_PENDING} mappings wait, the
 * caller retires its own too: mappings waiting, and the one being retired, hold at most
 * {@code (MAX_PENDING + 1) * MAX_SPAN} bytes of address space and file pages. Until it is retired a range still maps its file: a late reader sees the file's
 * bytes, then zeros, never a fault; and the range is reused only after.
 */
final class Retirements {
  /** Spans below this are retired by the caller: a few pages cost less than waking another thread. */
  static final long MIN_SPAN = 1L << 20;
  /** Spans above this are retired by the caller, so that their pages leave its memory when it lets them go. */
  static final long MAX_SPAN = 32L << 20;
  /** Mappings that may wait at once; past it the caller does the work. */
  static final int MAX_PENDING = 8;

  static final Retirements SHARED = new Retirements();

  private final CleanupWorker worker = new CleanupWorker("arrow-npz-unmap", MAX_PENDING);

  private Retirements() {}

  /** Runs {@code retirement} (of a range of {@code span} bytes) on the worker, or here when it should not wait. */
  void retire(long span, Runnable retirement) {
    if (span < MIN_SPAN || span > MAX_SPAN) {
      retirement.run();
    } else {
      worker.runOrHandOver(retirement);
    }
  }

  /** Mappings handed over and not yet retired: at most {@link #MAX_PENDING} waiting, and one in hand. */
  int pending() {
    return worker.pending();
  }

  /** Waits until nothing handed over is left, at most {@code millis}; whether that happened. */
  boolean awaitIdle(long millis) throws InterruptedException {
    return worker.awaitIdle(millis);
  }
}
