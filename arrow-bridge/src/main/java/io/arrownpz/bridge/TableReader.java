package io.arrownpz.bridge;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table we hold, as an {@link ArrowReader} of one batch, or of batches of at most {@code batchRows}
 * rows; the buffers are shared with the table (sliced where Arrow can), not copied.
 */
public final class TableReader extends ArrowReader {
  private final VectorSchemaRoot table;
  private final int batchRows;
  private boolean owned;
  private int next;
  private boolean done;

  public TableReader(VectorSchemaRoot table, BufferAllocator allocator) {
    this(table, Integer.MAX_VALUE, allocator);
  }

  public TableReader(VectorSchemaRoot table, int batchRows, BufferAllocator allocator) {
    super(allocator);
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be positive");
    }
    this.table = table;
    this.batchRows = batchRows;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (done) {
      return false;
    }
    int rows = Math.min(batchRows, table.getRowCount() - next);
    prepareLoadNextBatch();
    if (rows == table.getRowCount()) {
      try (ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch()) {
        loadRecordBatch(batch);
      }
    } else {
      try (VectorSchemaRoot slice = table.slice(next, rows);
           ArrowRecordBatch batch = new VectorUnloader(slice).getRecordBatch()) {
        loadRecordBatch(batch);
      }
    }
    next += rows;
    done = next >= table.getRowCount(); // so a table of no rows is one empty batch
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  /** This reader, closing the table when it is closed: for a table made only to be read out. */
  public TableReader owning() {
    owned = true;
    return this;
  }

  @Override
  protected void closeReadSource() {
    if (owned) {
      table.close();
    }
  }

  @Override
  protected Schema readSchema() {
    return table.getSchema();
  }
}
