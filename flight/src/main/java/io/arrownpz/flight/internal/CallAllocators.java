package io.arrownpz.flight.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Child allocators of calls, closed once the network is done with them. A DoGet hands its buffers to
 * gRPC without copying, so they are still referenced after the call returns, until the bytes are on the
 * wire; closing the call's allocator at once would fail. Each is closed when its last buffer is
 * released, checked every few milliseconds, or after a long grace period whatever holds it (then Arrow
 * names the leak).
 */
public final class CallAllocators implements AutoCloseable {
  private static final long CHECK_MILLIS = 20;
  private static final long GIVE_UP_MILLIS = 120_000;

  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "arrow-npz flight allocator reaper");
    t.setDaemon(true);
    return t;
  });

  /** Closes {@code allocator} now if nothing is left in it, else as soon as that is so. */
  public void closeWhenReleased(BufferAllocator allocator) {
    check(allocator, System.nanoTime());
  }

  private void check(BufferAllocator allocator, long since) {
    boolean late = System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MILLIS);
    if (allocator.getAllocatedMemory() == 0 || late || checker.isShutdown()) {
      try {
        allocator.close();
      } catch (IllegalStateException leaked) {
        // Reported by Arrow's own accounting in the parent; the service goes on.
      }
      return;
    }
    checker.schedule(() -> check(allocator, since), CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Closes, at once, what is still waiting. */
  @Override
  public void close() {
    checker.shutdown();
  }
}
