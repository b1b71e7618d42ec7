package io.arrownpz.bridge.parquet;

import java.io.InterruptedIOException;
import org.apache.arrow.memory.AllocationListener;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Lets a thread wait until the native side has given back memory it was lent. Listens to an allocator
 * whose buffers are lent to Arrow C++ (through the C data interface), which releases them from threads
 * of its own, some time after it has used them.
 */
final class ReleaseWaiter implements AllocationListener {
  private final Object lock = new Object();
  private long releases;

  @Override
  public void onRelease(long size) {
    synchronized (lock) {
      releases++;
      lock.notifyAll();
    }
  }

  /**
   * Waits until {@code lent} holds at most {@code bytes}, or until nothing has been released for
   * {@code stallNanos}. Returns whether the bound was reached.
   */
  boolean awaitAtMost(BufferAllocator lent, long bytes, long stallNanos) throws InterruptedIOException {
    synchronized (lock) {
      long seen = releases;
      long deadline = System.nanoTime() + stallNanos;
      while (lent.getAllocatedMemory() > bytes) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while the Parquet writer releases memory");
        }
        if (releases != seen) {
          seen = releases;
          deadline = System.nanoTime() + stallNanos; // progress: the native writer is still working
        }
      }
      return true;
    }
  }
}
