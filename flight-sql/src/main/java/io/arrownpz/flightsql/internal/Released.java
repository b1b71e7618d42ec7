package io.arrownpz.flightsql.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Closes queries' allocators once the network has given their buffers back: the last batches of a result
 * are still being written to the socket when the call that sent them ends. Tries every 50 ms; closing this
 * closes what is left at once, so that a buffer never given back is reported as a leak.
 */
final class Released implements AutoCloseable {
  private static final long RETRY_MILLIS = 50;
  private final Set<BufferAllocator> waiting = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "arrow-npz sql allocator reaper");
    thread.setDaemon(true);
    return thread;
  });

  void closeWhenReleased(BufferAllocator allocator) {
    if (allocator.getAllocatedMemory() == 0) {
      allocator.close();
      return;
    }
    waiting.add(allocator);
    reaper.schedule(new Runnable() {
      @Override
      public void run() {
        if (!waiting.contains(allocator)) {
          return;
        }
        if (allocator.getAllocatedMemory() == 0) {
          waiting.remove(allocator);
          allocator.close();
        } else {
          reaper.schedule(this, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
      }
    }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    reaper.shutdownNow();
    for (BufferAllocator allocator : waiting) {
      waiting.remove(allocator);
      allocator.close();
    }
  }
}
