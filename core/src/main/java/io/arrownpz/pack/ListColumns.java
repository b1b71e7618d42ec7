package io.arrownpz.pack;

import io.arrownpz.arrow.VectorLoading;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** List columns made from flat values and offsets, and their schema fields. */
final class ListColumns {
  /** The child name pyarrow, Parquet and DuckDB use; Arrow Java's own vectors say "$data$". */
  static final String ITEM = "item";

  private ListColumns() {}

  /** The schema field of a list of {@code values}' type, its child named {@value #ITEM}. */
  static Field listField(String name, Field values) {
    Field item = new Field(ITEM, values.getFieldType(), values.getChildren());
    return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(item));
  }

  /** A list column whose values become {@code values}' buffers (moved, not copied). */
  static ListVector of(String name, FieldVector values, int[] offsets, int groups, BufferAllocator allocator) {
    ListVector list = (ListVector) listField(name, values.getField()).createVector(allocator);
    try (ArrowBuf offsetBuffer = allocator.buffer(4L * (groups + 1))) {
      for (int g = 0; g <= groups; g++) {
        offsetBuffer.setInt(4L * g, offsets[g]);
      }
      values.makeTransferPair(list.getDataVector()).transfer();
      VectorLoading.load(list, groups, 0, null, offsetBuffer);
      return list;
    } catch (RuntimeException e) {
      list.close();
      throw e;
    }
  }
}
