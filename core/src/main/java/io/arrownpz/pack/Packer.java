package io.arrownpz.pack;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.internal.arrow.Gather;
import io.arrownpz.internal.arrow.ListVectors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinTask;
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
    // Each column is gathered on its own: on shuffled input every row is a cache miss, and the columns
    // share nothing but the (read-only) grouping, so they go to the common pool together.
    List<ForkJoinTask<PackedColumn>> tasks = new ArrayList<>();
    for (FieldVector column : events.getFieldVectors()) {
      tasks.add(ForkJoinTask.adapt(() -> {
        try {
          return packColumn(column, grouping, keyNames, options, allocator);
        } catch (RuntimeException e) {
          return new PackedColumn(null, null, e); // as thrown: the pool would rethrow a copy
        }
      }));
    }
    // Every task runs to its end, failed or not, so that nothing is still allocating when a failure
    // closes what the others made; this thread takes the first column itself.
    for (int i = tasks.size() - 1; i > 0; i--) {
      tasks.get(i).fork();
    }
    if (!tasks.isEmpty()) {
      tasks.get(0).quietlyInvoke();
    }
    tasks.forEach(ForkJoinTask::quietlyJoin);
    List<Field> fields = new ArrayList<>();
    List<FieldVector> columns = new ArrayList<>();
    Throwable failure = null;
    for (ForkJoinTask<PackedColumn> task : tasks) {
      PackedColumn packed = task.isCompletedNormally() ? task.getRawResult() : null;
      if (packed != null && packed.failure() == null) {
        fields.add(packed.field());
        columns.add(packed.vector());
      } else if (failure == null) {
        failure = packed != null ? packed.failure() : task.getException();
      }
    }
    if (failure != null) {
      columns.forEach(FieldVector::close);
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(failure);
    }
    Schema schema = new Schema(fields, PandasMetadataShelf.shelve(events.getSchema().getCustomMetadata()));
    return new VectorSchemaRoot(schema, columns, grouping.groups());
  }

  /** One packed column and its field, or why it could not be made. */
  private record PackedColumn(Field field, FieldVector vector, RuntimeException failure) {}

  /** A key or kept column as one value per group, any other as a list of its group's values. */
  private static PackedColumn packColumn(FieldVector column, Grouping grouping, Set<String> keyNames,
      PackOptions options, BufferAllocator allocator) {
    String name = column.getName();
    boolean keep = options.keepScalar().contains(name);
    if (keep) {
      requireConstant(column, grouping);
    }
    if (keyNames.contains(name) || keep || options.detectScalar() && firstChange(column, grouping) == null) {
      return new PackedColumn(column.getField(), Gather.take(column, grouping.firstRows(), grouping.groups(), allocator),
          null);
    }
    FieldVector values = grouping.inInputOrder()
        ? Gather.slice(column, 0, grouping.size(), allocator)
        : Gather.take(column, grouping.rows(), grouping.size(), allocator);
    try (values) {
      return new PackedColumn(ListVectors.field(name, false, column.getField()),
          ListColumns.of(name, values, grouping.offsets(), grouping.groups(), allocator), null);
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
