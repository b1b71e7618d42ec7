package io.arrownpz.flightsql.internal;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Queries started by GetFlightInfo and not yet fetched, by the handle their ticket carries, and those being
 * sent. A query's time limit runs from its start: one still waiting then is closed, one being sent is
 * cancelled (and closed by its sender). A handle is 16 random bytes: a client cannot guess another's.
 */
final class Results implements AutoCloseable {
  private final SecureRandom random = new SecureRandom();
  private final Map<ByteString, QueryRun> waiting = new ConcurrentHashMap<>();
  private final Map<ByteString, QueryRun> sending = new ConcurrentHashMap<>();
  private final Duration timeout;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "arrow-npz sql time limit");
    thread.setDaemon(true);
    return thread;
  });

  Results(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Starts the time limit of {@code run}, which is about to execute: when it is up, DuckDB is interrupted
   * if the run is still executing or being sent, and the run is closed if its result is still unfetched.
   */
  void watch(QueryRun run) {
    timer.schedule(() -> timeUp(run), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Cancels {@code run} when the call that runs it is gone ({@code gone}: the client cancelled it, its
   * deadline passed, or it went away), checked every 50 ms until the run is closed, or, when {@code
   * whileExecuting}, until DuckDB has made its first batch (a call that answers when it has, GetFlightInfo,
   * is over then).
   */
  void watchCall(QueryRun run, BooleanSupplier gone, boolean whileExecuting) {
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    task.set(timer.scheduleWithFixedDelay(() -> {
      if (run.closed() || whileExecuting && !run.executing()) {
        task.get().cancel(false);
      } else if (gone.getAsBoolean()) {
        run.cancel();
        task.get().cancel(false);
      }
    }, CALL_CHECK_MILLIS, CALL_CHECK_MILLIS, TimeUnit.MILLISECONDS));
  }

  static final long CALL_CHECK_MILLIS = 50;

  /** Keeps {@code run} for its ticket; its handle. */
  ByteString add(QueryRun run) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    ByteString handle = ByteString.copyFrom(bytes);
    waiting.put(handle, run);
    return handle;
  }

  /** The run of a ticket, now being sent; null when it was fetched, cancelled or timed out already. */
  QueryRun take(ByteString handle) {
    QueryRun run = waiting.remove(handle);
    if (run != null) {
      sending.put(handle, run);
    }
    return run;
  }

  /** The run of {@code handle} has been sent (or failed): it is no longer cancelled by handle. */
  void done(ByteString handle) {
    sending.remove(handle);
  }

  /** Cancels the query of {@code handle}; false when there is none (finished, or never started). */
  boolean cancel(ByteString handle) {
    QueryRun run = waiting.remove(handle);
    if (run != null) {
      run.close();
      return true;
    }
    run = sending.get(handle);
    if (run != null) {
      run.cancel();
      return true;
    }
    return false;
  }

  private void timeUp(QueryRun run) {
    if (waiting.values().remove(run)) {
      run.close();
    } else {
      run.cancel(); // executing, or being sent: its thread fails and closes it; done already: nothing happens
    }
  }

  /** Queries running or waiting now. */
  int open() {
    return waiting.size() + sending.size();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    waiting.values().forEach(QueryRun::close);
    waiting.clear();
    sending.values().forEach(QueryRun::cancel);
  }
}
