package io.arrownpz.bridge;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/** A table we hold, as an {@link ArrowReader} of one batch whose buffers are shared, not copied. */
public final class TableReader extends ArrowReader {
  private final VectorSchemaRoot table;
  private boolean done;

  public TableReader(VectorSchemaRoot table, BufferAllocator allocator) {
    super(allocator);
    this.table = table;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (done) {
      return false;
    }
    done = true;
    prepareLoadNextBatch();
    try (ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch()) {
      loadRecordBatch(batch);
    }
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
