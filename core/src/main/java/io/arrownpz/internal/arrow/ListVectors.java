package io.arrownpz.internal.arrow;

import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.BaseRepeatedValueVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** List columns assembled from flat values and offsets we already hold, and their schema fields. */
public final class ListVectors {
  /**
   * The child name pyarrow, Parquet and DuckDB use; Arrow Java's own list vectors call theirs "$data$".
   * The schema, not the vector, is what IPC and Parquet writers record.
   */
  public static final String ITEM = "item";

  private ListVectors() {}

  /**
   * Whether a column is a list column as packing means it (a list of events per row): a list or large
   * list. A map is a list of key-value structs to Arrow Java, but not one of those.
   */
  public static boolean isListColumn(FieldVector v) {
    return v instanceof ListVector && !(v instanceof MapVector) || v instanceof LargeListVector;
  }

  /** The schema field of a list (int64 offsets when {@code large}) of {@code values}, its child named "item". */
  public static Field field(String name, boolean large, Field values) {
    Field item = new Field(ITEM, values.getFieldType(), values.getChildren());
    return new Field(name, FieldType.nullable(large ? ArrowType.LargeList.INSTANCE : ArrowType.List.INSTANCE),
        List.of(item));
  }

  /** The values of a list or large list column. */
  public static FieldVector dataVector(FieldVector list) {
    if (list instanceof org.apache.arrow.vector.complex.LargeListVector large) {
      return large.getDataVector();
    }
    return ((BaseRepeatedValueVector) list).getDataVector();
  }

  /**
   * A list column of {@code count} lists over {@code values} (whose buffers are moved in, not copied) and
   * {@code offsets} (count + 1 int32 or int64 offsets, shared with the caller).
   */
  public static FieldVector of(String name, boolean large, FieldVector values, ArrowBuf offsets, int count,
      BufferAllocator allocator) {
    FieldVector list = field(name, large, values.getField()).createVector(allocator);
    try {
      values.makeTransferPair(dataVector(list)).transfer();
      VectorLoading.load(list, count, 0, null, offsets);
      return list;
    } catch (RuntimeException e) {
      list.close();
      throw e;
    }
  }
}
