package io.arrownpz.bridge.dataset;

import io.arrownpz.bridge.internal.WrappingReader;
import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A reader's batches under its schema with every field declared nullable ({@link Nullability}): the same
 * vectors, only the schema that writers and Flight announce differs (Arrow Java keeps a validity buffer
 * for every vector, declared nullable or not).
 */
final class NullableReader extends WrappingReader {
  private VectorSchemaRoot root;

  /** @param source an opened reader, taken over (closed by this one) */
  NullableReader(ArrowReader source, BufferAllocator allocator) {
    super(source, allocator);
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

  /** Not asked: {@link #getVectorSchemaRoot} builds the root from the source's. */
  @Override
  protected Schema readSchema() throws IOException {
    return Nullability.allNullable(source.getVectorSchemaRoot().getSchema());
  }
}
