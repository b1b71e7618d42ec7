package io.arrownpz.flight.internal;

import java.util.concurrent.Semaphore;
import org.apache.arrow.flight.CallStatus;

/**
 * At most so many data streams at once. One more is refused at once with RESOURCE_EXHAUSTED, so that a
 * flood of clients meets a clear answer instead of a queue without end.
 */
public final class StreamSlots {
  private final Semaphore free;
  private final int limit;

  public StreamSlots(int limit) {
    this.limit = limit;
    this.free = new Semaphore(limit);
  }

  /** One slot, given back when closed. */
  public Slot take() {
    if (!free.tryAcquire()) {
      throw CallStatus.RESOURCE_EXHAUSTED.withDescription(limit + " streams are running, the most this "
          + "service runs at once; try again shortly").toRuntimeException();
    }
    return free::release;
  }

  /** A slot taken: closing it gives it back. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }
}
