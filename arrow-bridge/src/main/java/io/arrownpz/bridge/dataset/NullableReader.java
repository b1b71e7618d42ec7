package io.arrownpz.bridge.dataset;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A reader's batches under its schema with every field declared nullable ({@link Nullability}): the same
 * vectors, only the schema that writers and Flight announce differs (Arrow Java keeps a validity buffer
 * for every vector, declared nullable or not).
 */
final class NullableReader extends ArrowReader {
  private final ArrowReader source;
  private VectorSchemaRoot root;

  /** @param source an opened reader, taken over (closed by this one) */
  NullableReader(ArrowReader source, BufferAllocator allocator) {
    super(allocator);
    this.source = source;
  }

  @Override
  public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
    if (root == null) {
      VectorSchemaRoot own = source.getVectorSchemaRoot();
      root = new VectorSchemaRoot(Nullability.allNullable(own.getSchema()), own.getFieldVectors(), own.getRowCount());
    }
    return root;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    VectorSchemaRoot relabelled = getVectorSchemaRoot();
    if (!source.loadNextBatch()) {
      return false;
    }
    relabelled.setRowCount(source.getVectorSchemaRoot().getRowCount());
    return true;
  }

  // The dictionaries are the source's, reloaded there as it reads: asked of it each time.

  @Override
  public Set<Long> getDictionaryIds() {
    return source.getDictionaryIds();
  }

  @Override
  public Dictionary lookup(long id) {
    return source.lookup(id);
  }

  @Override
  public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
    return source.getDictionaryVectors();
  }

  @Override
  public long bytesRead() {
    return source.bytesRead();
  }

  @Override
  public void close(boolean closeReadSource) throws IOException {
    closeReadSource(); // the vectors are the source's to close
  }

  @Override
  protected void closeReadSource() throws IOException {
    source.close();
  }

  /** Not asked: {@link #getVectorSchemaRoot} builds the root from the source's. */
  @Override
  protected Schema readSchema() throws IOException {
    return Nullability.allNullable(source.getVectorSchemaRoot().getSchema());
  }
}
