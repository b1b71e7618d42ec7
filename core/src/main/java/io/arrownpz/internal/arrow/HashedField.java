package io.arrownpz.internal.arrow;

import java.util.List;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A field that works out its hash once. Arrow's {@code VectorSchemaRoot} keys a map by field, and a
 * field's hash walks its name, type, metadata and children every time: for a frame of 10,000 columns,
 * a quarter of an open went there, mostly in cache misses. Fields are immutable, so the hash cannot
 * change; equality is Arrow's (a hashed field equals the plain field it copies).
 */
public final class HashedField extends Field {
  private final int hash;

  private HashedField(String name, FieldType type, List<Field> children) {
    super(name, type, children);
    this.hash = super.hashCode();
  }

  /** {@code field} with its hash kept (itself when it already is such a field). */
  public static Field of(Field field) {
    return field instanceof HashedField ? field : new HashedField(field.getName(), field.getFieldType(),
        field.getChildren());
  }

  /** A new field with its hash kept: made so from the start, it need not be copied to be kept. */
  public static Field of(String name, FieldType type, List<Field> children) {
    return new HashedField(name, type, children);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object other) {
    return super.equals(other);
  }
}
