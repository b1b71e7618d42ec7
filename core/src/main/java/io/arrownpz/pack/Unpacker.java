package io.arrownpz.pack;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.internal.arrow.Gather;
import io.arrownpz.internal.arrow.ListVectors;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.BaseRepeatedValueVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Explodes a packed table back to a row per event: the list columns' values side by side, the other
 * columns repeated for each event of their row. A list column whose values are laid out in row order
 * (as pack writes them) becomes its value vector itself, without a copy.
 */
public final class Unpacker {
  private Unpacker() {}

  public static VectorSchemaRoot unpack(VectorSchemaRoot packed, BufferAllocator allocator, UnpackOptions options) {
    List<FieldVector> lists = new ArrayList<>();
    for (FieldVector v : packed.getFieldVectors()) {
      if (ListVectors.isListColumn(v)) {
        lists.add(v);
      }
    }
    if (lists.isEmpty()) {
      throw new IllegalArgumentException("nothing to unpack: the table has no list columns");
    }
    int rows = packed.getRowCount();
    List<ListRows> spans = lists.stream().map(ListRows::new).toList();
    long total = 0;
    for (int r = 0; r < rows; r++) {
      long length = spans.get(0).length(r);
      for (int c = 1; c < spans.size(); c++) {
        if (spans.get(c).length(r) != length) {
          throw new UnsupportedDataException(lists.get(c).getName(), "row " + r + " holds " + spans.get(c).length(r)
              + " values but list column '" + lists.get(0).getName() + "' holds " + length
              + "; the lists of one row must be as long as each other");
        }
      }
      total += length == 0 && options.emptyAsNullRow() ? 1 : length;
    }
    if (total > Integer.MAX_VALUE) {
      throw new UnsupportedDataException(lists.get(0).getName(), "unpacks to " + total
          + " rows, more than one Arrow table holds");
    }
    int events = (int) total;
    boolean expands = options.emptyAsNullRow() && hasEmpty(spans.get(0), rows);
    int[] owner = owners(spans.get(0), rows, events, options.emptyAsNullRow());
    List<Field> fields = new ArrayList<>();
    List<FieldVector> columns = new ArrayList<>();
    try {
      for (FieldVector column : packed.getFieldVectors()) {
        int list = lists.indexOf(column);
        if (list < 0) {
          columns.add(Gather.take(column, owner, events, allocator));
          fields.add(column.getField());
          continue;
        }
        ListRows span = spans.get(list);
        FieldVector values = ListVectors.dataVector(column);
        Field item = column.getField().getChildren().get(0);
        Field field = new Field(column.getName(), item.getFieldType(), item.getChildren());
        fields.add(field);
        FieldVector flat = !expands && span.inRowOrder(rows)
            ? Gather.slice(values, field, rows == 0 ? 0 : (int) span.start(0), events, allocator)
            : Gather.take(values, field, span.valueRows(rows, events, options.emptyAsNullRow()), events, allocator);
        columns.add(flat);
      }
      if (options.positionColumn() != null) {
        IntVector position = positions(options.positionColumn(), spans.get(0), rows, events, options, allocator);
        columns.add(position);
        fields.add(position.getField());
      }
      Schema schema = new Schema(fields, PandasMetadataShelf.restore(packed.getSchema().getCustomMetadata()));
      return new VectorSchemaRoot(schema, columns, events);
    } catch (RuntimeException e) {
      columns.forEach(FieldVector::close);
      throw e;
    }
  }

  private static boolean hasEmpty(ListRows span, int rows) {
    for (int r = 0; r < rows; r++) {
      if (span.length(r) == 0) {
        return true;
      }
    }
    return false;
  }

  /** For each output row, the packed row it came from. */
  private static int[] owners(ListRows span, int rows, int events, boolean emptyAsNullRow) {
    int[] owner = new int[events];
    int at = 0;
    for (int r = 0; r < rows; r++) {
      long n = span.length(r);
      if (n == 0 && emptyAsNullRow) {
        n = 1;
      }
      for (long i = 0; i < n; i++) {
        owner[at++] = r;
      }
    }
    return owner;
  }

  private static IntVector positions(String name, ListRows span, int rows, int events, UnpackOptions options,
      BufferAllocator allocator) {
    IntVector position = new IntVector(name, allocator);
    position.allocateNew(events);
    int at = 0;
    for (int r = 0; r < rows; r++) {
      long n = span.length(r);
      if (n == 0 && options.emptyAsNullRow()) {
        position.setNull(at++);
      }
      for (int i = 0; i < n; i++) {
        position.set(at++, i);
      }
    }
    position.setValueCount(events);
    return position;
  }

  /** One list column's per-row spans of values; a null list counts as empty. */
  private static final class ListRows {
    private final FieldVector list;
    private final boolean large;

    ListRows(FieldVector list) {
      this.list = list;
      this.large = list instanceof LargeListVector;
    }

    long start(int row) {
      return large ? list.getOffsetBuffer().getLong(8L * row) : list.getOffsetBuffer().getInt(4L * row);
    }

    long length(int row) {
      return list.isNull(row) ? 0 : start(row + 1) - start(row);
    }

    /** Every row's values follow the previous row's, so the flat values are one slice. */
    boolean inRowOrder(int rows) {
      if (rows == 0) {
        return true;
      }
      for (int r = 0; r + 1 < rows; r++) {
        if (start(r) + length(r) != start(r + 1)) {
          return false;
        }
      }
      return start(rows - 1) + length(rows - 1) <= Integer.MAX_VALUE;
    }

    int[] valueRows(int rows, int events, boolean emptyAsNullRow) {
      int[] valueRows = new int[events];
      int at = 0;
      for (int r = 0; r < rows; r++) {
        long n = length(r);
        if (n == 0 && emptyAsNullRow) {
          valueRows[at++] = -1;
        }
        long start = start(r);
        for (long i = 0; i < n; i++) {
          valueRows[at++] = Math.toIntExact(start + i);
        }
      }
      return valueRows;
    }
  }
}
