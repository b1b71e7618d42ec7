package io.arrownpz.internal.arrow;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table read window by window as Arrow batches of at most a set number of rows: each batch is read
 * when it is asked for, so what a window costs (a transposed copy, say) is paid one batch at a time and
 * given back when the batch is. The first window, read for the schema, is the first batch; a table with
 * no rows gives one empty batch, as a table written whole does.
 */
public final class WindowReader extends ArrowReader {
  /** Reads windows of rows of a table; every window has the table's schema, metadata included. */
  public interface Windows extends AutoCloseable {
    long rows();

    /** Rows {@code [from, from + count)} as a table the caller closes. */
    VectorSchemaRoot read(long from, int count) throws IOException;

    @Override
    void close() throws IOException;
  }

  private final Windows windows;
  private final int batchRows;
  private VectorSchemaRoot first;
  private long next;

  /** Takes over {@code windows}: they are closed with this reader. */
  public WindowReader(Windows windows, int batchRows, BufferAllocator allocator) {
    super(allocator);
    if (batchRows < 1) {
      throw new IllegalArgumentException("batches hold at least one row, not " + batchRows);
    }
    this.windows = windows;
    this.batchRows = batchRows;
  }

  /** The whole table's row count, known without reading its rows. */
  public long rows() {
    return windows.rows();
  }

  @Override
  protected Schema readSchema() throws IOException {
    first = windows.read(0, nextCount());
    return first.getSchema();
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    if (first == null && next >= windows.rows()) {
      return false;
    }
    int count = nextCount();
    try (VectorSchemaRoot window = first != null ? first : windows.read(next, count)) {
      first = null;
      loadRecordBatch(new VectorUnloader(window).getRecordBatch());
    }
    next += count;
    return true;
  }

  private int nextCount() {
    return (int) Math.min(batchRows, windows.rows() - next);
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() throws IOException {
    try (Windows w = windows) {
      if (first != null) {
        first.close();
      }
    }
  }
}
