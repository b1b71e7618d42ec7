package io.arrownpz.bridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Hands a table we already hold to APIs that consume an {@link ArrowReader} (Arrow's dataset writer),
 * as one record batch whose buffers are shared, not copied. Buffers that are not 8-byte aligned (views
 * of NPZ members lie wherever the ZIP put them) are copied to aligned memory first: Arrow C++ warns about
 * them and may misbehave on hardware that needs alignment.
 */
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
    try (ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch();
         ArrowRecordBatch aligned = aligned(batch)) {
      loadRecordBatch(aligned);
    }
    return true;
  }

  private ArrowRecordBatch aligned(ArrowRecordBatch batch) {
    List<ArrowBuf> buffers = new ArrayList<>();
    for (ArrowBuf b : batch.getBuffers()) {
      if (b.capacity() > 0 && b.memoryAddress() % ALIGNMENT != 0) {
        ArrowBuf copy = allocator.buffer(b.capacity());
        copy.setBytes(0, b, 0, b.capacity());
        buffers.add(copy);
      } else {
        b.getReferenceManager().retain();
        buffers.add(b);
      }
    }
    try {
      return new ArrowRecordBatch(batch.getLength(), batch.getNodes(), buffers);
    } finally {
      buffers.forEach(ArrowBuf::close); // the new batch holds its own references
    }
  }

  private static final int ALIGNMENT = 8;

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
