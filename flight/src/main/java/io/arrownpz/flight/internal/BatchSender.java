package io.arrownpz.flight.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Sends tables to a DoGet stream in batches of at most a set number of rows, without copying: a batch is
 * a slice of the table's buffers (for a mapped file, of the mapping), and Flight is told to write them as
 * they are. Waits while the client is slow instead of queueing without bound, and stops when it goes.
 */
public final class BatchSender {
  /** How long a stream may stall on a client that reads nothing before it is given up. */
  private static final long STALL_MILLIS = 60_000;

  private final ServerStreamListener listener;
  private final int batchRows;
  /** The stream written with our own framing; null while not started, or when Arrow's listener frames it. */
  private FramedStream framed;

  /** @param batchRows rows per batch, a multiple of 8 so that validity bitmaps slice without copying */
  public BatchSender(ServerStreamListener listener, int batchRows) {
    this.listener = listener;
    this.batchRows = Math.max(8, batchRows / 8 * 8);
    listener.setUseZeroCopy(true);
  }

  /** Rows per batch sent: what was asked, rounded down to a multiple of 8. */
  public int batchRows() {
    return batchRows;
  }

  /** Sends every row of the reader's current batch, {@code table}: as it is, or in slices of {@link #batchRows}. */
  private void send(VectorSchemaRoot table) {
    int rows = table.getRowCount();
    if (rows <= batchRows) {
      awaitClient();
      putNext(table);
      return;
    }
    // Every slice is cut first (each keeps the buffers it views), then sent in turn.
    List<VectorSchemaRoot> slices = new ArrayList<>();
    try {
      for (int from = 0; from < rows; from += batchRows) {
        slices.add(table.slice(from, Math.min(batchRows, rows - from)));
      }
      VectorLoader loader = framed == null ? new VectorLoader(table) : null;
      for (VectorSchemaRoot slice : slices) {
        awaitClient();
        if (framed != null) {
          framed.putNext(slice);
          continue;
        }
        // Arrow's listener sends what the root it was started with holds: the slice is loaded into it.
        try (ArrowRecordBatch batch = new VectorUnloader(slice).getRecordBatch()) {
          loader.load(batch);
        }
        listener.putNext();
      }
    } finally {
      slices.forEach(VectorSchemaRoot::close);
    }
  }

  private void putNext(VectorSchemaRoot table) {
    if (framed != null) {
      framed.putNext(table);
    } else {
      listener.putNext();
    }
  }

  /**
   * Starts the stream with a reader's schema and dictionaries and sends every batch of it. Batches go out
   * framed by us where {@link FramedStream} can (no dictionaries), else through Arrow's listener, bound to
   * the reader's own root. The first batch is loaded before the stream starts: file readers load their
   * dictionaries with it, and Flight sends dictionaries once, at the start; a dictionary that changes
   * later (a Parquet row group's own) is sent again before the batch that uses it.
   */
  public void sendAll(ArrowReader reader) throws IOException {
    VectorSchemaRoot batch = reader.getVectorSchemaRoot();
    boolean more = reader.loadNextBatch();
    framed = FramedStream.of(listener, batch.getSchema(), reader);
    DictionaryReplacements replacements = null;
    if (framed != null) {
      framed.start(batch.getSchema());
    } else {
      listener.start(batch, reader);
      if (!reader.getDictionaryIds().isEmpty()) {
        FramedStream beside = FramedStream.beside(listener);
        replacements = new DictionaryReplacements(reader, beside == null ? null : beside::putDictionary);
      }
    }
    try {
      while (more) {
        send(batch);
        more = reader.loadNextBatch();
        if (more && replacements != null) {
          replacements.sendChanged();
        }
      }
    } finally {
      if (replacements != null) {
        replacements.close();
      }
    }
  }

  /**
   * Waits until gRPC can take another message. Polled rather than signalled: Arrow Java's callback
   * strategy left streams waiting for a ready signal that had already come (seen at 32 clients).
   */
  private void awaitClient() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
    while (!listener.isReady()) {
      if (listener.isCancelled()) {
        throw CallStatus.CANCELLED.withDescription("the client went away").toRuntimeException();
      }
      if (System.nanoTime() > deadline) {
        throw CallStatus.TIMED_OUT.withDescription("the client read nothing for " + STALL_MILLIS / 1000 + " s")
            .toRuntimeException();
      }
      LockSupport.parkNanos(200_000);
    }
  }

  public void completed() {
    listener.completed();
  }
}
