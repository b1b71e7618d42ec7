package io.arrownpz.internal.arrow;

import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table in memory, which it owns, handed out in windows that are slices of its buffers (no copy where
 * a window starts at a multiple of 8 rows, so that validity bitmaps slice on byte boundaries).
 */
public final class TableWindows implements WindowReader.Windows {
  private final VectorSchemaRoot table;

  public TableWindows(VectorSchemaRoot table) {
    this.table = table;
  }

  @Override
  public long rows() {
    return table.getRowCount();
  }

  @Override
  public Schema schema() {
    return table.getSchema();
  }

  @Override
  public VectorSchemaRoot read(long from, int count) {
    // A slice drops the schema's metadata; the window carries the table's.
    VectorSchemaRoot slice = table.slice(Math.toIntExact(from), count);
    return new VectorSchemaRoot(table.getSchema(), slice.getFieldVectors(), count);
  }

  @Override
  public void close() {
    table.close();
  }
}
