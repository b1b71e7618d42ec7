package io.arrownpz.bridge.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Another reader's batches, each checked as it loads ({@link Tables#validate}: buffers as long as the
 * lengths and offsets say; dictionary indices inside their dictionaries) before a writer sees it: Arrow's
 * writers copy and encode what a batch's offsets say without looking, so a file whose offsets lie failed
 * deep inside them ("Writer index cannot be less than reader index") rather than with its column named.
 * Everything else is the source's: its root, dictionaries and closing.
 */
public final class CheckingReader extends ArrowReader implements CheckedBatches {
  private final ArrowReader source;

  private CheckingReader(ArrowReader source, BufferAllocator allocator) {
    super(allocator);
    this.source = source;
  }

  /** {@code source} itself when its batches are checked already, else a checking view of it (closing it). */
  public static ArrowReader of(ArrowReader source, BufferAllocator allocator) {
    return source instanceof CheckedBatches ? source : new CheckingReader(source, allocator);
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
  public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
    return source.getDictionaryVectors();
  }

  @Override
  public Dictionary lookup(long id) {
    return source.lookup(id);
  }

  @Override
  public Set<Long> getDictionaryIds() {
    return source.getDictionaryIds();
  }

  @Override
  public long bytesRead() {
    return source.bytesRead();
  }

  @Override
  public void close(boolean closeReadSource) throws IOException {
    closeReadSource();
  }

  @Override
  protected void closeReadSource() throws IOException {
    source.close();
  }

  @Override
  protected Schema readSchema() throws IOException {
    return source.getVectorSchemaRoot().getSchema();
  }
}
