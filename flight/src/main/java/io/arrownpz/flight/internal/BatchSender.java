package io.arrownpz.flight.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Sends tables to a DoGet stream in batches of at most a set number of rows, without copying: a batch is
 * a slice of the table's buffers (for a mapped file, of the mapping), and Flight is told to write them as
 * they are. Waits while the client is slow instead of queueing without bound, and stops when it goes.
 */
public final class BatchSender implements AutoCloseable {
  /** How long a stream may stall on a client that reads nothing before it is given up. */
  private static final long STALL_MILLIS = 60_000;

  private final ServerStreamListener listener;
  private final BufferAllocator allocator;
  private final int batchRows;
  private VectorSchemaRoot outgoing;
  private VectorLoader loader;

  /** @param batchRows rows per batch, a multiple of 8 so that validity bitmaps slice without copying */
  public BatchSender(ServerStreamListener listener, BufferAllocator allocator, int batchRows) {
    this.listener = listener;
    this.allocator = allocator;
    this.batchRows = Math.max(8, batchRows / 8 * 8);
    listener.setUseZeroCopy(true);
  }

  /** Rows per batch sent: what was asked, rounded down to a multiple of 8. */
  public int batchRows() {
    return batchRows;
  }

  /** Starts the stream with the schema (in memory form) of what follows and its dictionaries. */
  private void start(Schema schema, DictionaryProvider dictionaries) {
    outgoing = VectorSchemaRoot.create(schema, allocator);
    loader = new VectorLoader(outgoing);
    listener.start(outgoing, dictionaries);
  }

  /** Sends every row of {@code table}, in batches. */
  private void send(VectorSchemaRoot table) {
    int rows = table.getRowCount();
    if (rows <= batchRows) {
      sendWhole(table);
      return;
    }
    for (int from = 0; from < rows; from += batchRows) {
      try (VectorSchemaRoot part = table.slice(from, Math.min(batchRows, rows - from))) {
        sendWhole(part);
      }
    }
  }

  /**
   * Starts the stream with a reader's schema and dictionaries and sends every batch of it. The first batch
   * is loaded before the stream starts: file readers load their dictionaries with it, and Flight sends
   * dictionaries once, at the start.
   */
  public void sendAll(ArrowReader reader) throws IOException {
    VectorSchemaRoot batch = reader.getVectorSchemaRoot();
    boolean more = reader.loadNextBatch();
    start(batch.getSchema(), reader);
    while (more) {
      send(batch);
      more = reader.loadNextBatch();
    }
  }

  private void sendWhole(VectorSchemaRoot batchRoot) {
    try (ArrowRecordBatch batch = new VectorUnloader(batchRoot).getRecordBatch()) {
      loader.load(batch);
    }
    awaitClient();
    listener.putNext();
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

  @Override
  public void close() {
    if (outgoing != null) {
      outgoing.close();
    }
  }
}
