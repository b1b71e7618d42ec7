package io.arrownpz.pack;

import java.util.List;
import org.apache.arrow.vector.FieldVector;

/** The key of a row over one or more key columns: its hash, equality with another row's, and nulls. */
final class RowKeys {
  private final ColumnRows[] columns;

  RowKeys(List<FieldVector> keys) {
    columns = keys.stream().map(ColumnRows::of).toArray(ColumnRows[]::new);
  }

  long hash(int row) {
    long h = columns[0].hash(row);
    for (int c = 1; c < columns.length; c++) {
      h = h * 0x9E3779B97F4A7C15L + columns[c].hash(row);
    }
    return h;
  }

  boolean same(int a, int b) {
    for (ColumnRows column : columns) {
      if (!column.same(a, b)) {
        return false;
      }
    }
    return true;
  }

  boolean anyNull(int row) {
    for (ColumnRows column : columns) {
      if (column.isNull(row)) {
        return true;
      }
    }
    return false;
  }
}
