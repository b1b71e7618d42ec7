package io.arrownpz.benchmarks;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An in-memory table as a reader of batches of {@code batchRows} rows, slices sharing its buffers where
 * Arrow allows: what DuckDB scans through the C stream (several batches, so that it can scan in parallel).
 */
final class SlicedTableReader extends ArrowReader {
  private final VectorSchemaRoot table;
  private final int batchRows;
  private int next;

  SlicedTableReader(VectorSchemaRoot table, int batchRows, BufferAllocator allocator) {
    super(allocator);
    this.table = table;
    this.batchRows = batchRows;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (next >= table.getRowCount()) {
      return false;
    }
    int rows = Math.min(batchRows, table.getRowCount() - next);
    prepareLoadNextBatch();
    try (VectorSchemaRoot slice = table.slice(next, rows);
         ArrowRecordBatch batch = new VectorUnloader(slice).getRecordBatch()) {
      loadRecordBatch(batch);
    }
    next += rows;
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {}

  @Override
  protected Schema readSchema() {
    return table.getSchema();
  }
}
