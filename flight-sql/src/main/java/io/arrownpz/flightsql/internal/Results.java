package io.arrownpz.flightsql.internal;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Query runs by the handles their tickets carry, from the FlightInfo that made them until their result is
 * fetched. A result may have several endpoints (parts), fetched at once by a client that reads in
 * parallel: a part's handle is the run's 16 random bytes (a client cannot guess another's) and the part's
 * number. A run is closed when its last part is done, or when its time limit (from its start) finds no
 * part being sent; one being sent is cancelled then, and closed by its last sender.
 */
final class Results implements AutoCloseable {
  static final long CALL_CHECK_MILLIS = 50;

  /** A run and its parts: which were fetched, how many are done. */
  private static final class Entry {
    final QueryRun run;
    final boolean[] taken;
    int done;

    Entry(QueryRun run, int parts) {
      this.run = run;
      this.taken = new boolean[parts];
    }
  }

  private final SecureRandom random = new SecureRandom();
  private final Map<ByteString, Entry> entries = new HashMap<>(); // guarded by this
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
    timer.schedule(() -> end(run), timeout.toMillis(), TimeUnit.MILLISECONDS);
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

  /** Keeps {@code run} for the tickets of its {@code parts}; their handles, in order. */
  synchronized List<ByteString> add(QueryRun run, int parts) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    ByteString base = ByteString.copyFrom(bytes);
    entries.put(base, new Entry(run, parts));
    List<ByteString> handles = new ArrayList<>();
    for (int part = 0; part < parts; part++) {
      handles.add(base.concat(ByteString.copyFrom(new byte[] {(byte) part})));
    }
    return handles;
  }

  private static ByteString base(ByteString handle) {
    return handle.substring(0, Math.max(0, handle.size() - 1));
  }

  private static int part(ByteString handle) {
    return handle.isEmpty() ? -1 : handle.byteAt(handle.size() - 1) & 0xff;
  }

  /**
   * The run of a part's ticket, now being sent; null when that part was fetched already, or the run was
   * cancelled or timed out.
   */
  synchronized QueryRun take(ByteString handle) {
    Entry entry = entries.get(base(handle));
    int part = part(handle);
    if (entry == null || part < 0 || part >= entry.taken.length || entry.taken[part]) {
      return null;
    }
    entry.taken[part] = true;
    return entry.run;
  }

  /**
   * The part of {@code handle} has been sent (or failed); true when it was the run's last, and the caller
   * closes the run.
   */
  synchronized boolean done(ByteString handle) {
    Entry entry = entries.get(base(handle));
    if (entry == null) {
      return false;
    }
    entry.done++;
    if (entry.done < entry.taken.length) {
      return false;
    }
    entries.remove(base(handle));
    return true;
  }

  /** Cancels the query of any part's {@code handle}; false when there is none (finished, or never started). */
  boolean cancel(ByteString handle) {
    QueryRun run;
    synchronized (this) {
      Entry entry = entries.get(base(handle));
      if (entry == null) {
        return false;
      }
      run = entry.run;
    }
    end(run);
    return true;
  }

  /**
   * Ends {@code run}: its parts not fetched yet are given up; it is closed now when no part is being sent,
   * else cancelled (its senders fail, and the last closes it). A run done already is left alone.
   */
  private void end(QueryRun run) {
    boolean close = false;
    synchronized (this) {
      Map.Entry<ByteString, Entry> found = null;
      for (Map.Entry<ByteString, Entry> candidate : entries.entrySet()) {
        if (candidate.getValue().run == run) {
          found = candidate;
        }
      }
      if (found != null) {
        Entry entry = found.getValue();
        for (int part = 0; part < entry.taken.length; part++) {
          if (!entry.taken[part]) {
            entry.taken[part] = true; // its fetch, if it comes, finds nothing
            entry.done++;
          }
        }
        if (entry.done >= entry.taken.length) {
          entries.remove(found.getKey());
          close = true;
        }
      }
    }
    if (close) {
      run.close();
    } else {
      run.cancel(); // executing, or being sent: its senders fail and the last closes it; done: nothing happens
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    List<QueryRun> runs;
    synchronized (this) {
      runs = entries.values().stream().map(entry -> entry.run).toList();
    }
    runs.forEach(this::end);
  }
}
