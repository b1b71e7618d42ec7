package io.arrownpz.internal.io;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One daemon thread for clean-up that nobody has to wait for (taking down a mapping, the last close of a
 * replaced file), with a bounded queue: once {@code maxQueued} tasks wait, the caller runs its own, so that
 * what is held for clean-up stays bounded. The thread ends when idle and comes back when needed; what is
 * still queued at exit goes with the process, whose exit releases the same resources.
 */
public final class CleanupWorker {
  private final AtomicInteger pending = new AtomicInteger();
  private final ThreadPoolExecutor executor;

  public CleanupWorker(String threadName, int maxQueued) {
    executor = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new ArrayBlockingQueue<>(maxQueued), task -> {
      Thread t = new Thread(task, threadName);
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true); // no thread kept in a process that has nothing to clean up
  }

  /** Runs {@code task} on the worker, or here when the queue is full. */
  public void runOrHandOver(Runnable task) {
    pending.incrementAndGet();
    try {
      executor.execute(() -> {
        try {
          task.run();
        } finally {
          pending.decrementAndGet();
        }
      });
    } catch (RejectedExecutionException full) {
      pending.decrementAndGet();
      task.run();
    }
  }

  /** Tasks handed over and not yet done: the queued ones, and one in hand. */
  public int pending() {
    return pending.get();
  }

  /** Waits until nothing handed over is left, at most {@code millis}; whether that happened. */
  public boolean awaitIdle(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (pending.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }
}
