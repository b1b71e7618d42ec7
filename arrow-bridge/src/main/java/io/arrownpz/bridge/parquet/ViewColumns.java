package io.arrownpz.bridge.parquet;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * String and binary views as plain strings and binaries, for the Parquet writer of Arrow C++ 18.3,
 * which has no conversion for views (newer ones write them as the same Parquet BYTE_ARRAY columns).
 * The values are copied; the file's Arrow schema still says "view", so readers that know views get
 * them back.
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
    return type;
  }

  static Field plainField(Field field) {
    ArrowType plain = plainType(field.getType());
    return plain == field.getType() ? field
        : new Field(field.getName(), new FieldType(field.isNullable(), plain, null, field.getMetadata()), List.of());
  }

  static Schema plainSchema(Schema schema) {
    return new Schema(schema.getFields().stream().map(ViewColumns::plainField).toList(), schema.getCustomMetadata());
  }

  /** The table with its top-level view columns copied to plain ones; takes over {@code table}. */
  static VectorSchemaRoot plain(VectorSchemaRoot table, BufferAllocator allocator) {
    if (table.getFieldVectors().stream().noneMatch(v -> v instanceof BaseVariableWidthViewVector)) {
      return table;
    }
    List<FieldVector> vectors = new ArrayList<>();
    try (table) {
      for (FieldVector v : table.getFieldVectors()) {
        if (v instanceof BaseVariableWidthViewVector view) {
          vectors.add(copy(view, allocator));
        } else {
          vectors.add(io.arrownpz.arrow.Vectors.transfer(v, allocator));
        }
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new VectorSchemaRoot(vectors.stream().map(FieldVector::getField).toList(), vectors, table.getRowCount());
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
