package io.arrownpz.internal.arrow;

import org.apache.arrow.vector.types.pojo.Field;

/**
 * A field that works out its hash once. Arrow's {@code VectorSchemaRoot} keys a map by field, and a
 * field's hash walks its name, type, metadata and children every time: for a frame of 10,000 columns,
 * a quarter of an open went there, mostly in cache misses. Fields are immutable, so the hash cannot
 * change; equality is Arrow's (a hashed field equals the plain field it copies).
 */
public final class HashedField extends Field {
  private final int hash;

  private HashedField(Field field) {
    super(field.getName(), field.getFieldType(), field.getChildren());
    this.hash = super.hashCode();
  }

  /** {@code field} with its hash kept (itself when it already is such a field). */
  public static Field of(Field field) {
    return field instanceof HashedField ? field : new HashedField(field);
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
