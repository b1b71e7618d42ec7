package io.arrownpz.flightsql.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The batches of one query's result as DuckDB exports them, handed out one at a time to whoever sends them
 * (the fetch of each of the result's endpoints), each moved into the sender's own table without a copy.
 * Batches read ahead of their fetch ({@link #readAhead}) wait here. What the result's buffers hold beyond
 * {@code limit} fails the read that took them there.
 */
final class ResultBatches implements AutoCloseable {
  private final ArrowReader reader;
  private final BufferAllocator allocator;
  private final long limit;
  private final Deque<VectorSchemaRoot> ahead = new ArrayDeque<>();
  private boolean ended;

  ResultBatches(ArrowReader reader, BufferAllocator allocator, long limit) {
    this.reader = reader;
    this.allocator = allocator;
    this.limit = limit;
  }

  VectorSchemaRoot root() throws IOException {
    return reader.getVectorSchemaRoot();
  }

  /**
   * Reads up to {@code count} batches before any is fetched; the result's rows and bytes when it ended
   * within them, null when it goes on.
   */
  synchronized long[] readAhead(int count) throws IOException {
    while (ahead.size() < count && load()) {
      VectorSchemaRoot held = VectorSchemaRoot.create(reader.getVectorSchemaRoot().getSchema(), allocator);
      move(reader.getVectorSchemaRoot(), held);
      ahead.add(held);
    }
    if (!ended) {
      return null;
    }
    long rows = 0;
    long bytes = 0;
    for (VectorSchemaRoot batch : ahead) {
      rows += batch.getRowCount();
      for (var vector : batch.getFieldVectors()) {
        bytes += vector.getBufferSize();
      }
    }
    return new long[] {rows, bytes};
  }

  /** Moves the result's next batch into {@code into}; false after the last. */
  synchronized boolean next(VectorSchemaRoot into) throws IOException {
    VectorSchemaRoot held = ahead.poll();
    if (held != null) {
      try (held) {
        move(held, into);
      }
      return true;
    }
    if (!load()) {
      return false;
    }
    move(reader.getVectorSchemaRoot(), into);
    return true;
  }

  /**
   * Loads DuckDB's next batch into the reader's table; false at the end. The limit is checked on what was
   * imported rather than set on the allocator: DuckDB made the batch already, and Arrow's import of a C
   * array that fails midway keeps the array.
   */
  private boolean load() throws IOException {
    if (ended) {
      return false;
    }
    if (!reader.loadNextBatch()) {
      ended = true;
      return false;
    }
    if (allocator.getAllocatedMemory() > limit) {
      throw new OutOfMemoryException("a batch of the result took the query's buffers to "
          + allocator.getAllocatedMemory() + " bytes, over its " + limit);
    }
    return true;
  }

  private static void move(VectorSchemaRoot from, VectorSchemaRoot to) {
    for (int i = 0; i < from.getFieldVectors().size(); i++) {
      from.getVector(i).makeTransferPair(to.getVector(i)).transfer();
    }
    to.setRowCount(from.getRowCount());
  }

  @Override
  public synchronized void close() throws IOException {
    ahead.forEach(VectorSchemaRoot::close);
    ahead.clear();
    reader.close();
  }
}
