package io.arrownpz.arrow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.ExtensionTypeRegistry;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Arrow's canonical {@code arrow.fixed_shape_tensor} extension type: each row holds one tensor of a fixed
 * shape, stored row-major in a FixedSizeList. Arrow Java 18 does not ship it; pyarrow reads it as
 * {@code pa.fixed_shape_tensor}. A NumPy array of rank >= 2 becomes one such column, a tensor per row of
 * its first axis.
 */
public final class FixedShapeTensorType extends ArrowType.ExtensionType {
  public static final String NAME = "arrow.fixed_shape_tensor";
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    ExtensionTypeRegistry.register(new FixedShapeTensorType(new long[] {1}));
  }

  private final long[] shape;

  /** The value type is not part of the type: it is the storage's child field, as in the C++ library. */
  public FixedShapeTensorType(long[] shape) {
    this.shape = shape.clone();
  }

  /** Makes sure the type is registered, so that IPC readers rebuild it instead of dropping to storage. */
  public static void register() {
    // The static initializer does the work.
  }

  /** The shape of one tensor (the array's shape without its first axis). */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of values in one tensor. */
  public int listSize() {
    long n = 1;
    for (long d : shape) {
      n = d == 0 || n == 0 ? 0 : n > Integer.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("one tensor of shape " + java.util.Arrays.toString(shape)
          + " holds more than 2,147,483,647 elements, the most an Arrow fixed-size list can");
    }
    return (int) n;
  }

  @Override
  public ArrowType storageType() {
    return new ArrowType.FixedSizeList(listSize());
  }

  @Override
  public String extensionName() {
    return NAME;
  }

  @Override
  public boolean extensionEquals(ExtensionType other) {
    return other instanceof FixedShapeTensorType t && Arrays.equals(t.shape, shape);
  }

  @Override
  public String serialize() {
    ObjectNode node = JSON.createObjectNode();
    var dims = node.putArray("shape");
    for (long d : shape) {
      dims.add(d);
    }
    return node.toString();
  }

  @Override
  public ArrowType deserialize(ArrowType storageType, String serializedData) {
    if (!(storageType instanceof ArrowType.FixedSizeList)) {
      throw new IllegalArgumentException(NAME + " needs FixedSizeList storage, not " + storageType);
    }
    try {
      JsonNode dims = JSON.readTree(serializedData).path("shape");
      long[] parsed = new long[dims.size()];
      for (int i = 0; i < parsed.length; i++) {
        parsed[i] = dims.get(i).asLong();
      }
      return new FixedShapeTensorType(parsed);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(NAME + ": bad metadata " + serializedData, e);
    }
  }

  @Override
  public FieldVector getNewVector(String name, FieldType fieldType, BufferAllocator allocator) {
    Field field = new Field(name, fieldType, null);
    FixedSizeListVector storage = new FixedSizeListVector(name, allocator,
        new FieldType(fieldType.isNullable(), storageType(), null, null), null);
    return new Vector(field, allocator, storage);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FixedShapeTensorType t && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return "FixedShapeTensor" + Arrays.toString(shape);
  }

  /** A column of tensors over its FixedSizeList storage. */
  public static final class Vector extends ExtensionTypeVector<FixedSizeListVector> {
    private final FieldType fieldType;

    Vector(Field field, BufferAllocator allocator, FixedSizeListVector storage) {
      super(field, allocator, storage);
      this.fieldType = field.getFieldType();
    }

    /**
     * Arrow Java's base class answers with the storage's field, which would lose the extension type and
     * the metadata in every schema built from this vector.
     */
    @Override
    public Field getField() {
      return new Field(getName(), fieldType, getUnderlyingVector().getField().getChildren());
    }

    @Override
    public Object getObject(int index) {
      return getUnderlyingVector().getObject(index);
    }

    @Override
    public int hashCode(int index) {
      return getUnderlyingVector().hashCode(index);
    }

    @Override
    public int hashCode(int index, org.apache.arrow.memory.util.hash.ArrowBufHasher hasher) {
      return getUnderlyingVector().hashCode(index, hasher);
    }
  }
}
