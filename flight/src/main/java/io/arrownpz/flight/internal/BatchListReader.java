package io.arrownpz.flight.internal;

import java.util.Iterator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Batches already in memory (the endpoints of a dataset, fetched in parallel) as one batch reader, in
 * order, for the bridge's writers. Each batch is closed once it has been handed on.
 */
public final class BatchListReader extends ArrowReader {
  private final Schema schema;
  private final List<VectorSchemaRoot> batches;
  private final Iterator<VectorSchemaRoot> next;

  public BatchListReader(Schema schema, List<VectorSchemaRoot> batches, BufferAllocator allocator) {
    super(allocator);
    this.schema = schema;
    this.batches = batches;
    this.next = batches.iterator();
  }

  @Override
  public boolean loadNextBatch() throws java.io.IOException {
    ensureInitialized();
    if (!next.hasNext()) {
      return false;
    }
    try (VectorSchemaRoot batch = next.next()) {
      loadRecordBatch(new VectorUnloader(batch).getRecordBatch());
    }
    return true;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  protected void closeReadSource() {
    batches.forEach(VectorSchemaRoot::close); // those not handed on (closing twice is harmless)
  }

  @Override
  protected Schema readSchema() {
    return schema;
  }
}
