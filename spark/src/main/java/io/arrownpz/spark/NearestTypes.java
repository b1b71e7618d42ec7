package io.arrownpz.spark;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * With the read option {@code nearestType}: the Spark type nearest a NumPy dtype Spark has none for, and
 * the copy that takes the values there. Unsigned integers widen (uint64 to {@code decimal(20,0)}, which holds
 * every value), float16 becomes float, and datetime64 of any unit a microsecond timestamp (nanoseconds
 * rounded down, as Spark's own Parquet reader does). Nothing else changes: complex numbers are still
 * refused, naming the column.
 */
final class NearestTypes {
  private NearestTypes() {}

  /** The nearest Spark type, or null when there is none. */
  static DataType of(Field field) {
    ArrowType t = field.getType();
    if (t instanceof ArrowType.Int i && !i.getIsSigned()) {
      return switch (i.getBitWidth()) {
        case 8 -> DataTypes.ShortType;
        case 16 -> DataTypes.IntegerType;
        case 32 -> DataTypes.LongType;
        default -> DataTypes.createDecimalType(20, 0);
      };
    }
    if (t instanceof ArrowType.FloatingPoint f && f.getPrecision() == FloatingPointPrecision.HALF) {
      return DataTypes.FloatType;
    }
    if (t instanceof ArrowType.Timestamp ts) {
      return ts.getTimezone() == null ? DataTypes.TimestampNTZType : DataTypes.TimestampType;
    }
    return null;
  }

  /**
   * The values of {@code vector} in a new vector of the Spark type its field has in the schema (the nearest
   * type, or a date or timestamp for datetime counts, {@link SparkTypes#datetimeCounts}); the caller closes
   * it.
   */
  static FieldVector convert(FieldVector vector, BufferAllocator allocator) {
    if (vector instanceof ListVector list) {
      return listOf(list, allocator);
    }
    int n = vector.getValueCount();
    String name = vector.getName();
    io.arrownpz.npy.DateUnit counted = SparkTypes.datetimeCounts(vector.getField());
    if (counted != null) {
      return fromCounts(vector, counted, allocator);
    }
    if (vector instanceof UInt1Vector v) {
      SmallIntVector out = new SmallIntVector(name, allocator);
      out.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, v.get(i) & 0xFF);
        }
      }
      return done(out, n);
    }
    if (vector instanceof UInt2Vector v) {
      IntVector out = new IntVector(name, allocator);
      out.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, v.get(i));
        }
      }
      return done(out, n);
    }
    if (vector instanceof UInt4Vector v) {
      BigIntVector out = new BigIntVector(name, allocator);
      out.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, v.get(i) & 0xFFFFFFFFL);
        }
      }
      return done(out, n);
    }
    if (vector instanceof UInt8Vector v) {
      DecimalVector out = new DecimalVector(name, allocator, 20, 0);
      out.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          long bits = v.get(i);
          BigInteger unsigned = bits >= 0 ? BigInteger.valueOf(bits) : BigInteger.valueOf(bits).add(BigInteger.ONE.shiftLeft(64));
          out.set(i, new BigDecimal(unsigned));
        }
      }
      return done(out, n);
    }
    if (vector instanceof Float2Vector v) {
      Float4Vector out = new Float4Vector(name, allocator);
      out.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, v.getValueAsFloat(i));
        }
      }
      return done(out, n);
    }
    if (vector instanceof TimeStampVector v && vector.getField().getType() instanceof ArrowType.Timestamp ts) {
      TimeStampVector out = ts.getTimezone() == null ? new TimeStampMicroVector(name, allocator)
          : new TimeStampMicroTZVector(name, allocator, ts.getTimezone());
      out.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, micros(v.get(i), ts.getUnit(), name));
        }
      }
      return done(out, n);
    }
    throw new UnsupportedOperationException("npz: column '" + name + "': no nearer Spark type for "
        + vector.getField().getType());
  }

  /** A list column (packed events) whose elements take their nearest type: its own offsets and nulls kept. */
  private static FieldVector listOf(ListVector list, BufferAllocator allocator) {
    try (FieldVector elements = convert(list.getDataVector(), allocator)) {
      ListVector out = ListVector.empty(list.getName(), allocator);
      try {
        out.addOrGetVector(elements.getField().getFieldType());
        elements.makeTransferPair(out.getDataVector()).transfer();
        out.loadFieldBuffers(new ArrowFieldNode(list.getValueCount(), list.getNullCount()),
            java.util.List.of(list.getValidityBuffer(), list.getOffsetBuffer()));
        return out;
      } catch (RuntimeException e) {
        out.close();
        throw e;
      }
    }
  }

  private static long micros(long value, TimeUnit unit, String column) {
    try {
      return switch (unit) {
        case NANOSECOND -> Math.floorDiv(value, 1000);
        case MICROSECOND -> value;
        case MILLISECOND -> Math.multiplyExact(value, 1000L);
        case SECOND -> Math.multiplyExact(value, 1_000_000L);
      };
    } catch (ArithmeticException e) {
      throw new ArithmeticException("npz: column '" + column + "': " + value + " " + unit
          + " is past what a microsecond timestamp holds");
    }
  }

  private static final long MILLIS_PER_DAY = 86_400_000L;

  /** A datetime column of days, weeks, hours or minutes (as milliseconds or counts) as a date or timestamp. */
  private static FieldVector fromCounts(FieldVector vector, io.arrownpz.npy.DateUnit unit, BufferAllocator allocator) {
    int n = vector.getValueCount();
    String name = vector.getName();
    boolean millis = vector.getField().getType() instanceof ArrowType.Timestamp;
    long unitMillis = switch (unit) {
      case WEEK -> 7 * MILLIS_PER_DAY;
      case DAY -> MILLIS_PER_DAY;
      case HOUR -> 3_600_000L;
      default -> 60_000L;
    };
    if (unit == io.arrownpz.npy.DateUnit.DAY) {
      DateDayVector out = new DateDayVector(name, allocator);
      out.allocateNew(n);
      TimeStampVector v = (TimeStampVector) vector;
      for (int i = 0; i < n; i++) {
        if (!v.isNull(i)) {
          out.set(i, Math.toIntExact(Math.floorDiv(v.get(i), MILLIS_PER_DAY)));
        }
      }
      return done(out, n);
    }
    TimeStampMicroVector out = new TimeStampMicroVector(name, allocator);
    out.allocateNew(n);
    for (int i = 0; i < n; i++) {
      if (vector.isNull(i)) {
        continue;
      }
      long value = millis ? ((TimeStampVector) vector).get(i) : ((BigIntVector) vector).get(i);
      if (!millis && value == Long.MIN_VALUE) {
        continue; // NaT
      }
      try {
        out.set(i, Math.multiplyExact(millis ? value : Math.multiplyExact(value, unitMillis), 1000L));
      } catch (ArithmeticException e) {
        out.close();
        throw new ArithmeticException("npz: column '" + name + "': " + value + (millis ? " ms" : " " + unit)
            + " is past what a microsecond timestamp holds");
      }
    }
    return done(out, n);
  }

  private static FieldVector done(FieldVector out, int n) {
    out.setValueCount(n);
    return out;
  }
}
