package io.arrownpz.bridge.dataset;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Opens the parts of a {@link ChainedReader} one ahead, on a thread of its own: while a part is read, the
 * next one is opened (a Parquet file's footer and scanner cost about a millisecond of native work, as much
 * as reading a file of a few hundred rows). At most two parts are open at once. A part that fails to open
 * says so when its turn comes, as it would have without this.
 */
final class PartsAhead implements AutoCloseable {
  private final List<ChainedReader.Part> parts;
  private ExecutorService thread;
  private Future<ArrowReader> ahead;
  private int aheadIndex = -1;

  PartsAhead(List<ChainedReader.Part> parts) {
    this.parts = parts;
  }

  /** Part {@code index}, opened and ready (its schema read); the one after it starts opening. */
  ArrowReader open(int index) throws IOException {
    ArrowReader reader;
    if (ahead != null && aheadIndex == index) {
      Future<ArrowReader> next = ahead;
      ahead = null;
      reader = take(next);
    } else {
      closeAhead();
      reader = ready(parts.get(index).open());
    }
    if (index + 1 < parts.size()) {
      startOpening(index + 1);
    }
    return reader;
  }

  private void startOpening(int index) {
    if (thread == null) {
      thread = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "arrow-npz-parts-ahead");
        t.setDaemon(true); // a reader left unclosed does not keep the process alive
        return t;
      });
    }
    aheadIndex = index;
    ahead = thread.submit(() -> ready(parts.get(index).open()));
  }

  /** {@code reader} with its schema read (a Parquet reader reads its footer only then), or closed. */
  private static ArrowReader ready(ArrowReader reader) throws IOException {
    try {
      reader.getVectorSchemaRoot();
      return reader;
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private static ArrowReader take(Future<ArrowReader> opening) throws IOException {
    try {
      return opening.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while a part was opened");
      interrupted.initCause(e);
      throw interrupted;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }

  /** Waits for a part being opened ahead and closes it: it will not be read. */
  private void closeAhead() {
    if (ahead == null) {
      return;
    }
    Future<ArrowReader> opening = ahead;
    ahead = null;
    try {
      take(opening).close();
    } catch (IOException | RuntimeException e) {
      // a part never read: its failure to open concerns no one
    }
  }

  @Override
  public void close() {
    closeAhead();
    if (thread != null) {
      thread.shutdown();
    }
  }
}
