package io.arrownpz.bridge.parquet;

import io.arrownpz.internal.arrow.Vectors;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.LargeListViewVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.ListViewVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * String and binary views as plain strings and binaries, and list views as lists, at any depth (polars
 * writes its strings as views, inside its lists and structs too), for the Parquet writer of Arrow C++
 * 18.3, which has no conversion for views (newer ones write them as the same Parquet BYTE_ARRAY and LIST
 * columns). The view values are copied; a list, struct or map above them keeps its own buffers. The
 * file's Arrow schema still says "view", so readers that know views get them back.
 */
final class ViewColumns {
  private ViewColumns() {}

  /** The plain type for a view type, or the type itself. */
  static ArrowType plainType(ArrowType type) {
    if (type instanceof ArrowType.Utf8View) {
      return ArrowType.Utf8.INSTANCE;
    }
    if (type instanceof ArrowType.BinaryView) {
      return ArrowType.Binary.INSTANCE;
    }
    if (type instanceof ArrowType.ListView) {
      return ArrowType.List.INSTANCE;
    }
    if (type instanceof ArrowType.LargeListView) {
      return ArrowType.LargeList.INSTANCE;
    }
    return type;
  }

  /** Whether the field, or any field below it, has a view type. */
  static boolean hasView(Field field) {
    return plainType(field.getType()) != field.getType() || field.getChildren().stream().anyMatch(ViewColumns::hasView);
  }

  /** The field with every view type in it, at any depth, replaced by its plain type. */
  static Field plainField(Field field) {
    if (!hasView(field)) {
      return field;
    }
    return new Field(field.getName(),
        new FieldType(field.isNullable(), plainType(field.getType()), field.getDictionary(), field.getMetadata()),
        field.getChildren().stream().map(ViewColumns::plainField).toList());
  }

  /** The table with its view columns, and the views inside its columns, made plain; takes over {@code table}. */
  static VectorSchemaRoot plain(VectorSchemaRoot table, BufferAllocator allocator) {
    if (table.getSchema().getFields().stream().noneMatch(ViewColumns::hasView)) {
      return table;
    }
    List<FieldVector> vectors = new ArrayList<>();
    try (table) {
      for (FieldVector v : table.getFieldVectors()) {
        vectors.add(plainVector(v, allocator));
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(vectors.stream().map(FieldVector::getField).toList(), vectors, table.getRowCount());
  }

  /** The vector's values with no view in them; takes over (or copies from) {@code v}. */
  private static FieldVector plainVector(FieldVector v, BufferAllocator allocator) {
    if (!hasView(v.getField())) {
      return Vectors.transfer(v, allocator);
    }
    if (v instanceof BaseVariableWidthViewVector view) {
      return copy(view, allocator);
    }
    if (v instanceof ListViewVector || v instanceof LargeListViewVector) {
      FieldVector values = v instanceof ListViewVector l ? l.getDataVector() : ((LargeListViewVector) v).getDataVector();
      try (FieldVector plainValues = plainVector(values, allocator)) {
        return copyLists(v, plainValues, allocator);
      }
    }
    return rebuilt(v, allocator);
  }

  /**
   * A list, struct, map or fixed-size list with views below it: a plain vector of the same kind that
   * takes the container's own buffers (validity, offsets) as they are, with its children made plain.
   */
  private static FieldVector rebuilt(FieldVector container, BufferAllocator allocator) {
    FieldVector plain = plainField(container.getField()).createVector(allocator);
    try {
      plain.loadFieldBuffers(new ArrowFieldNode(container.getValueCount(), container.getNullCount()),
          container.getFieldBuffers());
      List<FieldVector> from = container.getChildrenFromFields();
      List<FieldVector> to = plain.getChildrenFromFields();
      for (int i = 0; i < from.size(); i++) {
        try (FieldVector child = plainVector(from.get(i), allocator)) {
          child.makeTransferPair(to.get(i)).transfer();
        }
      }
      return plain;
    } catch (RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** A list view's lists, each copied in row order (from {@code values}, its values made plain) into a list. */
  private static FieldVector copyLists(FieldVector view, FieldVector values, BufferAllocator allocator) {
    boolean large = view instanceof LargeListViewVector;
    FieldVector plain = plainField(view.getField()).createVector(allocator);
    try {
      int n = view.getValueCount();
      FieldVector child = large ? ((LargeListVector) plain).getDataVector() : ((ListVector) plain).getDataVector();
      ArrowBuf offsets = view.getOffsetBuffer();
      ArrowBuf sizes = large ? ((LargeListViewVector) view).getSizeBuffer() : ((ListViewVector) view).getSizeBuffer();
      long total = 0;
      for (int i = 0; i < n; i++) {
        total += view.isNull(i) ? 0 : large ? sizes.getLong(8L * i) : sizes.getInt(4L * i);
      }
      plain.setInitialCapacity(n);
      plain.allocateNew();
      child.setInitialCapacity(Math.toIntExact(total));
      child.allocateNew();
      int at = 0;
      for (int i = 0; i < n; i++) {
        if (view.isNull(i)) {
          setList(plain, i, at, at, false);
          continue;
        }
        long start = large ? offsets.getLong(8L * i) : offsets.getInt(4L * i);
        long size = large ? sizes.getLong(8L * i) : sizes.getInt(4L * i);
        for (long j = 0; j < size; j++) {
          child.copyFromSafe(Math.toIntExact(start + j), at++, values);
        }
        setList(plain, i, at - (int) size, at, true);
      }
      child.setValueCount(at);
      // Arrow's list vectors fill offsets after the last one they saw set; these were set directly.
      if (plain instanceof LargeListVector largeList) {
        largeList.setLastSet(n - 1);
      } else {
        ((ListVector) plain).setLastSet(n - 1);
      }
      plain.setValueCount(n);
      return plain;
    } catch (RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private static void setList(FieldVector list, int index, int start, int end, boolean valid) {
    if (list instanceof LargeListVector large) {
      large.getOffsetBuffer().setLong(8L * index, start);
      large.getOffsetBuffer().setLong(8L * (index + 1), end);
      if (valid) {
        org.apache.arrow.vector.BitVectorHelper.setBit(large.getValidityBuffer(), index);
      }
    } else {
      ListVector plain = (ListVector) list;
      plain.getOffsetBuffer().setInt(4L * index, start);
      plain.getOffsetBuffer().setInt(4L * (index + 1), end);
      if (valid) {
        org.apache.arrow.vector.BitVectorHelper.setBit(plain.getValidityBuffer(), index);
      }
    }
  }

  private static FieldVector copy(BaseVariableWidthViewVector view, BufferAllocator allocator) {
    BaseVariableWidthVector plain = (BaseVariableWidthVector) plainField(view.getField()).createVector(allocator);
    try {
      int n = view.getValueCount();
      plain.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (view.isNull(i)) {
          plain.setNull(i);
        } else {
          plain.setSafe(i, view.get(i));
        }
      }
      plain.setValueCount(n);
      return plain;
    } catch (RuntimeException e) {
      plain.close();
      throw e;
    }
  }
}
