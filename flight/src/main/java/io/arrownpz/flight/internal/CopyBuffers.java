package io.arrownpz.flight.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Direct buffers of one size, given back after use and handed out again, for the copies
 * {@link DirectBatches} makes of a batch's small parts.
 *
 * <p>Why not Netty's pooled allocator: it gives a chunk back to the system as soon as the chunk is empty
 * again, and a new chunk is zeroed by the JDK and first touched page by page. A DoGet of 1,000 narrow
 * columns fills a few megabytes of copies and empties them when the batch is written, so every get paid
 * for a new chunk (a third of the server's CPU on a 1,000-column frame). Buffers kept here are reused
 * warm. At most {@code kept} idle buffers are kept; any beyond that are left to the garbage collector.
 */
final class CopyBuffers {
  private final int size;
  private final ArrayBlockingQueue<ByteBuffer> idle;

  CopyBuffers(int size, int kept) {
    this.size = size;
    this.idle = new ArrayBlockingQueue<>(kept);
  }

  /** An empty buffer of the size this was made for: one given back earlier, or a new one. */
  ByteBuffer take() {
    ByteBuffer kept = idle.poll();
    return kept != null ? kept.clear() : ByteBuffer.allocateDirect(size);
  }

  /** Takes {@code buffer} back once nothing reads it any more; kept for reuse while there is room. */
  void giveBack(ByteBuffer buffer) {
    if (buffer.capacity() == size) {
      idle.offer(buffer);
    }
  }

  /** The size of every buffer handed out. */
  int size() {
    return size;
  }

  /** How many buffers wait to be reused. */
  int idle() {
    return idle.size();
  }
}
