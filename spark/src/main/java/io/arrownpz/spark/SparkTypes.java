package io.arrownpz.spark;

import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark type of each column, for the Arrow vectors Spark's {@code ArrowColumnVector} reads as they are
 * (no copy): signed integers, float32/64, bools, strings, bytes, dates, microsecond timestamps, and lists of
 * those (packed events). A NumPy dtype Spark has no type for (unsigned 64-bit integers, float16, complex,
 * timestamps finer than microseconds) is refused naming its column.
 */
final class SparkTypes {
  private SparkTypes() {}

  /** The Spark schema; with {@code nearest}, a dtype Spark has no type for gets its nearest ({@link NearestTypes}). */
  static StructType of(Schema schema, boolean nearest) {
    StructField[] fields = schema.getFields().stream()
        .map(f -> new StructField(f.getName(), type(f, nearest), f.isNullable(),
            org.apache.spark.sql.types.Metadata.empty()))
        .toArray(StructField[]::new);
    return new StructType(fields);
  }

  /** Whether Spark reads a column of this field as it is, without a copy. */
  static boolean direct(Field field) {
    if (datetimeCounts(field) != null) {
      return false;
    }
    try {
      type(field, false);
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * The NumPy unit of a datetime64 column that core does not hand over in its own unit: a frame's days,
   * weeks, hours and minutes come as milliseconds (core keeps frames' dates that way for pandas), and a plain
   * array's weeks, hours and minutes as int64 counts (Arrow has no such unit). Null for any other field. So
   * that a dtype has one Spark type whichever file holds it, days are a date, as a {@code .npy}'s are, and
   * the others a timestamp with {@code nearestType}.
   */
  static io.arrownpz.npy.DateUnit datetimeCounts(Field field) {
    io.arrownpz.npy.NpyDtype dtype = io.arrownpz.arrow.NumpyMetadata.descr(field);
    if (dtype == null || dtype.kind() != io.arrownpz.npy.Kind.DATETIME || dtype.unitMultiplier() != 1) {
      return null;
    }
    ArrowType t = field.getType();
    boolean asMillis = t instanceof ArrowType.Timestamp ts && ts.getUnit() == TimeUnit.MILLISECOND
        && ts.getTimezone() == null;
    boolean asCounts = t instanceof ArrowType.Int i && i.getBitWidth() == 64;
    return switch (dtype.unit()) {
      case DAY -> asMillis ? dtype.unit() : null;
      case WEEK, HOUR, MINUTE -> asMillis || asCounts ? dtype.unit() : null;
      default -> null;
    };
  }

  static DataType type(Field field, boolean nearest) {
    ArrowType t = field.getType();
    io.arrownpz.npy.DateUnit counted = datetimeCounts(field);
    if (counted == io.arrownpz.npy.DateUnit.DAY) {
      return DataTypes.DateType;
    }
    io.arrownpz.npy.NpyDtype temporal = io.arrownpz.arrow.NumpyMetadata.descr(field);
    if (counted == null && temporal != null && (temporal.kind() == io.arrownpz.npy.Kind.DATETIME
        || temporal.kind() == io.arrownpz.npy.Kind.TIMEDELTA) && t instanceof ArrowType.Int) {
      // months, years, or a unit with a multiplier: counts of no fixed length, which no Spark type holds
      throw new UnsupportedOperationException("npz: column '" + field.getName() + "' is NumPy "
          + field.getMetadata().get(io.arrownpz.arrow.NumpyMetadata.DESCR) + ", which Spark has no type for");
    }
    if (counted != null) {
      if (nearest) {
        return DataTypes.TimestampNTZType;
      }
      throw new UnsupportedOperationException("npz: column '" + field.getName() + "' is NumPy "
          + field.getMetadata().get(io.arrownpz.arrow.NumpyMetadata.DESCR) + ", which Spark has no type for (read "
          + "with .option(\"nearestType\", true) for timestamp_ntz)");
    }
    if (t instanceof ArrowType.Bool) {
      return DataTypes.BooleanType;
    }
    if (t instanceof ArrowType.Int i && i.getIsSigned()) {
      return switch (i.getBitWidth()) {
        case 8 -> DataTypes.ByteType;
        case 16 -> DataTypes.ShortType;
        case 32 -> DataTypes.IntegerType;
        default -> DataTypes.LongType;
      };
    }
    if (t instanceof ArrowType.FloatingPoint f && f.getPrecision() != FloatingPointPrecision.HALF) {
      return f.getPrecision() == FloatingPointPrecision.SINGLE ? DataTypes.FloatType : DataTypes.DoubleType;
    }
    if (t instanceof ArrowType.Utf8 || t instanceof ArrowType.LargeUtf8) {
      return DataTypes.StringType;
    }
    if (t instanceof ArrowType.Binary || t instanceof ArrowType.LargeBinary) {
      return DataTypes.BinaryType;
    }
    if (t instanceof ArrowType.Date d && d.getUnit() == DateUnit.DAY) {
      return DataTypes.DateType;
    }
    if (t instanceof ArrowType.Timestamp ts && ts.getUnit() == TimeUnit.MICROSECOND) {
      return ts.getTimezone() == null ? DataTypes.TimestampNTZType : DataTypes.TimestampType;
    }
    if (t instanceof ArrowType.List && field.getChildren().size() == 1) {
      Field element = field.getChildren().get(0);
      return DataTypes.createArrayType(type(element, nearest), element.isNullable());
    }
    DataType near = nearest ? NearestTypes.of(field) : null;
    if (near != null) {
      return near;
    }
    String dtype = field.getMetadata().get(io.arrownpz.arrow.NumpyMetadata.DESCR);
    throw new UnsupportedOperationException("npz: column '" + field.getName() + "' is "
        + (dtype != null ? "NumPy " + dtype + " (Arrow " + t + ")" : "Arrow " + t)
        + ", which Spark has no type for" + (nearest || NearestTypes.of(field) == null ? ""
            : " (read with .option(\"nearestType\", true) for " + NearestTypes.of(field).simpleString() + ")"));
  }
}
