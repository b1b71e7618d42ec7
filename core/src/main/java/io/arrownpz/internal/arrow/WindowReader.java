package io.arrownpz.internal.arrow;

import java.io.IOException;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table read window by window as Arrow batches of at most a set number of rows: each batch is read
 * when it is asked for, so what a window costs (a transposed copy, say) is paid one batch at a time and
 * given back when the batch is. A table with no rows gives one empty batch, as a table written whole does.
 *
 * <p>The reader's root is the first window itself, not a root of empty vectors that each window is then
 * loaded into: most frames are one window, and for them loading meant a second set of vectors and every
 * buffer's reference taken over once more (a sixth of a Flight server's time for a get of 10,000
 * columns). Later windows are loaded into that root, as any Arrow reader loads its batches. The tables
 * read hold no dictionary-encoded columns, so the reader has no dictionaries either.
 */
public final class WindowReader extends ArrowReader {
  /** Reads windows of rows of a table; every window has the table's schema, metadata included. */
  public interface Windows extends AutoCloseable {
    long rows();

    /** The schema every window has, at the cost of headers and a row at most (nothing kept for later reads). */
    Schema schema() throws IOException;

    /** Rows {@code [from, from + count)} as a table the caller closes. */
    VectorSchemaRoot read(long from, int count) throws IOException;

    @Override
    void close() throws IOException;
  }

  private final Windows windows;
  private final int batchRows;
  /** The reader's root: the first window, read on first use, then each later window loaded into it. */
  private VectorSchemaRoot root;
  /** Whether {@link #root} holds a window not handed out yet by {@link #loadNextBatch}. */
  private boolean unsent;
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

  /**
   * The schema of the batches, without reading the first one where it is not read yet: what describing a
   * file costs (a frame's C-order block is not transposed for it, where reading a window would transpose
   * and keep the whole block for the windows to come).
   */
  public Schema schema() throws IOException {
    return root != null ? root.getSchema() : windows.schema();
  }

  @Override
  protected void initialize() throws IOException {
    root = windows.read(0, nextCount());
    unsent = true;
    dictionaries = Map.of();
  }

  @Override
  protected Schema readSchema() throws IOException {
    return getVectorSchemaRoot().getSchema();
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
    ensureInitialized();
    return root;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    ensureInitialized();
    int count = nextCount();
    if (unsent) {
      unsent = false;
    } else if (next >= windows.rows()) {
      return false;
    } else {
      try (VectorSchemaRoot window = windows.read(next, count);
          ArrowRecordBatch batch = new VectorUnloader(window).getRecordBatch()) {
        new VectorLoader(root).load(batch);
      }
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

  /** Closes the root (ArrowReader's own close would close a root of its own, which this reader never makes). */
  @Override
  public void close(boolean closeReadSource) throws IOException {
    try {
      if (root != null) {
        root.close();
        root = null;
      }
    } finally {
      if (closeReadSource) {
        closeReadSource();
      }
    }
  }

  @Override
  protected void closeReadSource() throws IOException {
    windows.close();
  }
}
