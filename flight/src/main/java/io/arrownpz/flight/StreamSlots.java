package io.arrownpz.flight;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.flight.CallStatus;

/**
 * At most so many data streams at once, on a service's every call that moves data (its own gets, puts and
 * actions, and an extension's: a SQL query). One more is refused at once with RESOURCE_EXHAUSTED, so that a
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
    return new Slot();
  }

  /**
   * A slot taken: closing it gives it back, once however often it is closed. A call gives its slot back
   * before it tells the client it is done, so that a client's next call never finds it still taken.
   */
  public final class Slot implements AutoCloseable {
    private final AtomicBoolean taken = new AtomicBoolean(true);

    private Slot() {}

    @Override
    public void close() {
      if (taken.getAndSet(false)) {
        free.release();
      }
    }
  }
}
