package io.arrownpz.bridge.internal;

import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Another reader's batches, each checked as it loads ({@link Tables#validate}: buffers as long as the
 * lengths and offsets say; dictionary indices inside their dictionaries) before a writer sees it: Arrow's
 * writers copy and encode what a batch's offsets say without looking, so a file whose offsets lie failed
 * deep inside them ("Writer index cannot be less than reader index") rather than with its column named.
 * Everything else is the source's: its root, dictionaries and closing.
 */
public final class CheckingReader extends WrappingReader implements CheckedBatches {
  private CheckingReader(ArrowReader source, BufferAllocator allocator) {
    super(source, allocator);
  }

  /** {@code source} itself when its batches are checked already, else a checking view of it (closing it). */
  public static ArrowReader of(ArrowReader source, BufferAllocator allocator) {
    return CheckedBatches.isChecked(source) ? source : new CheckingReader(source, allocator);
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (!source.loadNextBatch()) {
      return false;
    }
    VectorSchemaRoot batch = source.getVectorSchemaRoot();
    Tables.validate(batch);
    if (!source.getDictionaryIds().isEmpty()) {
      Tables.validateIndices(batch, source);
    }
    return true;
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
    return source.getVectorSchemaRoot();
  }

  @Override
  protected Schema readSchema() throws IOException {
    return source.getVectorSchemaRoot().getSchema();
  }
}
