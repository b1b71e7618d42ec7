package io.arrownpz.pack;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.internal.arrow.ListVectors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Packs an event table (a row per event) into one row per group: key columns stay scalar, every other
 * column becomes a list of its group's values, except columns kept scalar. Columns keep their order.
 * When the input is already grouped and nothing asks for reordering, the lists' values are the input
 * columns' own buffers and only the offsets are new.
 */
public final class Packer {
  private Packer() {}

  public static VectorSchemaRoot pack(VectorSchemaRoot events, BufferAllocator allocator, PackOptions options) {
    List<FieldVector> keys = new ArrayList<>();
    for (String key : options.keys()) {
      keys.add(column(events, key, "key"));
    }
    FieldVector orderBy = options.orderBy() == null ? null : column(events, options.orderBy(), "order-by");
    for (String name : options.keepScalar()) {
      column(events, name, "scalar");
      if (options.keys().contains(name)) {
        throw new IllegalArgumentException("'" + name + "' is a key; keys are always scalar");
      }
    }
    Grouping grouping = Grouper.group(keys, events.getRowCount(), orderBy, options);
    Set<String> keyNames = new HashSet<>(options.keys());
    List<Field> fields = new ArrayList<>();
    List<FieldVector> columns = new ArrayList<>();
    try {
      for (FieldVector column : events.getFieldVectors()) {
        String name = column.getName();
        boolean keep = options.keepScalar().contains(name);
        if (keep) {
          requireConstant(column, grouping);
        }
        if (keyNames.contains(name) || keep || options.detectScalar() && firstChange(column, grouping) == null) {
          FieldVector scalar = Gather.take(column, grouping.firstRows(), grouping.groups(), allocator);
          columns.add(scalar);
          fields.add(column.getField());
        } else {
          FieldVector values = grouping.inInputOrder()
              ? Gather.slice(column, 0, grouping.size(), allocator)
              : Gather.take(column, grouping.rows(), grouping.size(), allocator);
          try (values) {
            columns.add(ListColumns.of(name, values, grouping.offsets(), grouping.groups(), allocator));
          }
          fields.add(ListVectors.field(name, false, column.getField()));
        }
      }
      Schema schema = new Schema(fields, PandasMetadataShelf.shelve(events.getSchema().getCustomMetadata()));
      return new VectorSchemaRoot(schema, columns, grouping.groups());
    } catch (RuntimeException e) {
      columns.forEach(FieldVector::close);
      throw e;
    }
  }

  private static FieldVector column(VectorSchemaRoot table, String name, String role) {
    FieldVector v = table.getVector(name);
    if (v == null) {
      throw new IllegalArgumentException("no column '" + name + "' to use as " + role + " column; the table has "
          + table.getSchema().getFields().stream().map(Field::getName).toList());
    }
    return v;
  }

  private static void requireConstant(FieldVector column, Grouping grouping) {
    Change change = firstChange(column, grouping);
    if (change != null) {
      throw new UnsupportedDataException(column.getName(), "is not constant inside its group: input row "
          + change.row() + " holds " + column.getObject(change.row()) + " where the group's first row holds "
          + column.getObject(change.firstRow()) + "; pack it as a list instead");
    }
  }

  /** A row whose value differs from that of its group's first row. */
  private record Change(int firstRow, int row) {}

  /** The first row (in grouped order) whose value differs from its group's first, or null. */
  private static Change firstChange(FieldVector column, Grouping grouping) {
    ColumnRows rows = ColumnRows.of(column);
    int[] offsets = grouping.offsets();
    for (int g = 0; g < grouping.groups(); g++) {
      int first = grouping.row(offsets[g]);
      for (int p = offsets[g] + 1; p < offsets[g + 1]; p++) {
        if (!rows.same(first, grouping.row(p))) {
          return new Change(first, grouping.row(p));
        }
      }
    }
    return null;
  }
}
