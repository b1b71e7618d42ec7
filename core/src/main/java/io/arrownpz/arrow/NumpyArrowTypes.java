package io.arrownpz.arrow;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.internal.arrow.HashedField;
import io.arrownpz.internal.arrow.TemporalUnits;
import io.arrownpz.npy.DateUnit;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyHeader;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * The one mapping between NumPy dtypes and Arrow types, both ways (docs/FORMAT.md section 5): which Arrow
 * field holds an array ({@link #field}), and which dtype a column is written as ({@link #dtypeFor}).
 */
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
  /**
   * Zero-width strings and bytes ({@code S0}, {@code U0}) carry no data, so a tiny file can declare billions
   * of them, and Arrow spends 4 bytes of offsets on each (a 77-byte file made a 4 GB Feather file). Beyond
   * this many, such an array is refused instead of expanded.
   */
  static final long MAX_ZERO_WIDTH_ELEMENTS = 1L << 24;

  /**
   * The field of a frame's column (a 1-d array): as {@link #field}, with the dtype recorded but not the
   * shape, which is the frame's row count. Spelling {@code (rows,)} on each of 10,000 columns was half of
   * the fields' metadata entries, which every reader of the schema parses (pyarrow reading such a stream:
   * 7-8% of its time).
   */
  public static Field columnField(String name, NpyHeader header, NpyReadOptions options) {
    return field(name, header, options, header.rank() > 1);
  }

  public static Field field(String name, NpyHeader header, NpyReadOptions options) {
    return field(name, header, options, true);
  }

  private static Field field(String name, NpyHeader header, NpyReadOptions options, boolean withShape) {
    NpyDtype dtype = header.dtype();
    if (dtype.itemSize() == 0 && header.elementCount() > MAX_ZERO_WIDTH_ELEMENTS) {
      throw new io.arrownpz.UnsupportedDataException(name, header.elementCount() + " elements of the zero-width "
          + "dtype " + dtype.descr() + " hold no data but would take " + 4 * header.elementCount()
          + " bytes of Arrow offsets; more than " + MAX_ZERO_WIDTH_ELEMENTS + " are refused");
    }
    long[] shape = header.shape();
    Field element = elementField(dtype, header.elementCount(), options);
    var metadata = withShape ? NumpyMetadata.of(dtype, shape, header.fortranOrder()) : NumpyMetadata.of(dtype);
    if (shape.length < 2) {
      // Hashed from the start: a frame's schema keeps its fields, and tables are keyed by them.
      return HashedField.of(name, new FieldType(element.isNullable(), element.getType(), null, metadata),
          element.getChildren());
    }
    long[] inner = Arrays.copyOfRange(shape, 1, shape.length);
    FixedShapeTensorType tensor = new FixedShapeTensorType(inner);
    try {
      tensor.listSize(); // fails early when one tensor would not fit a FixedSizeList
    } catch (IllegalArgumentException e) {
      throw new io.arrownpz.UnsupportedDataException(name, e.getMessage());
    }
    return HashedField.of(name, new FieldType(false, tensor, null, metadata), List.of(element));
  }

  private static Field elementField(NpyDtype dtype, long count, NpyReadOptions options) {
    ArrowType type = elementType(dtype, count, options);
    if (dtype.kind() == Kind.COMPLEX) {
      Field part = new Field("item", new FieldType(false, type, null), null);
      return new Field("item", new FieldType(false, new ArrowType.FixedSizeList(2), null), List.of(part));
    }
    return new Field("item", new FieldType(dtype.kind().isTemporal(), type, null), null);
  }

  // Arrow to NumPy

  /**
   * The dtype to write a vector's elements as. A dtype recorded in the field's metadata wins when it can
   * hold the vector's type (string widths grow if the values no longer fit); otherwise the natural one.
   */
  public static NpyDtype dtypeFor(FieldVector v, NpyDtype recorded, String column) {
    ArrowType type = v.getField().getType();
    if (recorded != null && recorded.kind() == Kind.COMPLEX && v instanceof FixedSizeListVector pairs
        && pairs.getListSize() == 2 && pairs.getDataVector().getField().getType() instanceof ArrowType.FloatingPoint fp
        && NumpyArrowTypes.floatType(recorded.itemSize() / 2).equals(fp)) {
      return recorded;
    }
    NpyDtype natural = natural(v, type, column);
    if (recorded == null) {
      return natural;
    }
    if (recorded.kind().isTemporal() && type instanceof ArrowType.Int i && i.getBitWidth() == 64 && i.getIsSigned()) {
      return recorded; // a unit Arrow has no type for, kept as int64 counts
    }
    if (TemporalUnits.divisor(type, recorded) > 1) {
      return recorded; // days held as timestamps in seconds (a frame's datetime64[D], for pandas)
    }
    boolean sameFamily = recorded.kind() == natural.kind()
        || isBytes(recorded.kind()) && isBytes(natural.kind());
    if (!sameFamily) {
      return natural;
    }
    return switch (recorded.kind()) {
      case UNICODE, BYTES, VOID -> recorded.withWidth(Math.max(recorded.width(), natural.width()));
      case DATETIME, TIMEDELTA -> recorded.unit() == natural.unit() && recorded.unitMultiplier() == 1
          ? recorded : natural;
      default -> recorded.itemSize() == natural.itemSize() ? recorded : natural;
    };
  }

  private static boolean isBytes(Kind kind) {
    return kind == Kind.BYTES || kind == Kind.VOID;
  }

  /** The dtype NumPy itself would pick for this Arrow type (pyarrow's {@code to_numpy} mapping). */
  static NpyDtype natural(FieldVector v, ArrowType type, String column) {
    if (type instanceof ArrowType.Int i) {
      return NpyDtype.of(i.getIsSigned() ? Kind.INT : Kind.UINT, i.getBitWidth() / 8);
    }
    if (type instanceof ArrowType.FloatingPoint fp) {
      return NpyDtype.of(Kind.FLOAT, switch (fp.getPrecision()) {
        case HALF -> 2;
        case SINGLE -> 4;
        case DOUBLE -> 8;
      });
    }
    if (type instanceof ArrowType.Bool) {
      return NpyDtype.of(Kind.BOOL, 1);
    }
    if (type instanceof ArrowType.Timestamp ts) {
      return temporal(Kind.DATETIME, ts.getUnit());
    }
    if (type instanceof ArrowType.Date d) {
      return NpyDtype.temporal(Kind.DATETIME,
          d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY ? DateUnit.DAY : DateUnit.MILLISECOND, 1,
          ByteOrder.LITTLE_ENDIAN);
    }
    if (type instanceof ArrowType.Duration d) {
      return temporal(Kind.TIMEDELTA, d.getUnit());
    }
    if (type instanceof ArrowType.Time t) {
      return temporal(Kind.TIMEDELTA, t.getUnit());
    }
    if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8 || type instanceof ArrowType.Utf8View) {
      return NpyDtype.of(Kind.UNICODE, 4 * Math.max(1, Encoders.maxCodePoints(v)));
    }
    if (type instanceof ArrowType.Binary || type instanceof ArrowType.LargeBinary
        || type instanceof ArrowType.BinaryView) {
      return NpyDtype.of(Kind.BYTES, Math.max(1, Encoders.maxBytes(v)));
    }
    if (type instanceof ArrowType.FixedSizeBinary fsb) {
      return NpyDtype.of(Kind.BYTES, Math.max(1, fsb.getByteWidth()));
    }
    throw new UnsupportedDataException(column, "Arrow type " + type + " has no NumPy equivalent");
  }

  private static NpyDtype temporal(Kind kind, TimeUnit unit) {
    DateUnit u = switch (unit) {
      case SECOND -> DateUnit.SECOND;
      case MILLISECOND -> DateUnit.MILLISECOND;
      case MICROSECOND -> DateUnit.MICROSECOND;
      case NANOSECOND -> DateUnit.NANOSECOND;
    };
    return NpyDtype.temporal(kind, u, 1, ByteOrder.LITTLE_ENDIAN);
  }
}
