package io.arrownpz.arrow;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.npy.DateUnit;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyDtype;
import java.nio.ByteOrder;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Which NumPy dtype holds an Arrow column: the reverse of {@link NumpyArrowTypes}. */
public final class NumpyDtypes {
  private NumpyDtypes() {}

  /**
   * The dtype to write a vector's elements as. A dtype recorded in the field's metadata wins when it can
   * hold the vector's type (string widths grow if the values no longer fit); otherwise the natural one.
   */
  public static NpyDtype forVector(FieldVector v, NpyDtype recorded, String column) {
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
    if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) {
      return NpyDtype.of(Kind.UNICODE, 4 * Math.max(1, Encoders.maxCodePoints(v)));
    }
    if (type instanceof ArrowType.Binary || type instanceof ArrowType.LargeBinary) {
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
