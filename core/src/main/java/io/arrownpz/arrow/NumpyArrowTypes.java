package io.arrownpz.arrow;

import io.arrownpz.npy.DateUnit;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyHeader;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Which Arrow type holds which NumPy dtype (docs/FORMAT.md section 5). */
public final class NumpyArrowTypes {
  /** Past this many bytes of text, a Utf8 column's int32 offsets could overflow: use LargeUtf8. */
  static final long MAX_SMALL_VARIABLE_BYTES = Integer.MAX_VALUE;

  private NumpyArrowTypes() {}

  /**
   * The Arrow type of one element. For complex dtypes this is the type of each of the two parts; the
   * element itself is a FixedSizeList of two of them (see {@link #field}).
   */
  public static ArrowType elementType(NpyDtype dtype, long elementCount, NpyReadOptions options) {
    int size = dtype.itemSize();
    return switch (dtype.kind()) {
      case BOOL -> ArrowType.Bool.INSTANCE;
      case INT -> new ArrowType.Int(size * 8, true);
      case UINT -> new ArrowType.Int(size * 8, false);
      case FLOAT -> floatType(size);
      case COMPLEX -> floatType(size / 2);
      case DATETIME -> datetimeType(dtype);
      case TIMEDELTA -> timedeltaType(dtype);
      case UNICODE -> (long) size * elementCount > MAX_SMALL_VARIABLE_BYTES
          ? ArrowType.LargeUtf8.INSTANCE : ArrowType.Utf8.INSTANCE;
      case BYTES, VOID -> options.fixedSizeBinary()
          ? new ArrowType.FixedSizeBinary(size)
          : (long) size * elementCount > MAX_SMALL_VARIABLE_BYTES
              ? ArrowType.LargeBinary.INSTANCE : ArrowType.Binary.INSTANCE;
    };
  }

  static ArrowType floatType(int bytes) {
    return new ArrowType.FloatingPoint(switch (bytes) {
      case 2 -> FloatingPointPrecision.HALF;
      case 4 -> FloatingPointPrecision.SINGLE;
      default -> FloatingPointPrecision.DOUBLE;
    });
  }

  /** The Arrow time unit equal to a NumPy unit with multiplier 1, or null when Arrow has none. */
  static TimeUnit arrowTimeUnit(NpyDtype dtype) {
    if (dtype.unitMultiplier() != 1) {
      return null;
    }
    return switch (dtype.unit()) {
      case SECOND -> TimeUnit.SECOND;
      case MILLISECOND -> TimeUnit.MILLISECOND;
      case MICROSECOND -> TimeUnit.MICROSECOND;
      case NANOSECOND -> TimeUnit.NANOSECOND;
      default -> null;
    };
  }

  private static ArrowType datetimeType(NpyDtype dtype) {
    TimeUnit unit = arrowTimeUnit(dtype);
    if (unit != null) {
      return new ArrowType.Timestamp(unit, null);
    }
    if (dtype.unit() == DateUnit.DAY && dtype.unitMultiplier() == 1) {
      return new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY);
    }
    return new ArrowType.Int(64, true);
  }

  private static ArrowType timedeltaType(NpyDtype dtype) {
    TimeUnit unit = arrowTimeUnit(dtype);
    return unit != null ? new ArrowType.Duration(unit) : new ArrowType.Int(64, true);
  }

  /**
   * The whole field for an array: one element per row for rank 0 and 1, a fixed-shape tensor per row of
   * the first axis for rank 2 and more; complex elements are FixedSizeList[2] of their parts. The field
   * metadata records the dtype, shape and order.
   */
  public static Field field(String name, NpyHeader header, NpyReadOptions options) {
    NpyDtype dtype = header.dtype();
    long[] shape = header.shape();
    Field element = elementField(dtype, header.elementCount(), options);
    var metadata = NumpyMetadata.of(dtype, shape, header.fortranOrder());
    if (shape.length < 2) {
      return new Field(name, new FieldType(element.isNullable(), element.getType(), null, metadata),
          element.getChildren());
    }
    long[] inner = Arrays.copyOfRange(shape, 1, shape.length);
    FixedShapeTensorType tensor = new FixedShapeTensorType(inner);
    tensor.listSize(); // fails early when one tensor would not fit a FixedSizeList
    return new Field(name, new FieldType(false, tensor, null, metadata), List.of(element));
  }

  private static Field elementField(NpyDtype dtype, long count, NpyReadOptions options) {
    ArrowType type = elementType(dtype, count, options);
    if (dtype.kind() == Kind.COMPLEX) {
      Field part = new Field("item", new FieldType(false, type, null), null);
      return new Field("item", new FieldType(false, new ArrowType.FixedSizeList(2), null), List.of(part));
    }
    return new Field("item", new FieldType(dtype.kind().isTemporal(), type, null), null);
  }
}
