package io.arrownpz.internal.arrow;

import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.npy.DateUnit;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyDtype;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Datetimes held in a finer unit than their NumPy dtype's. A frame's {@code datetime64[D]} (and weeks,
 * hours, minutes) column is an Arrow {@code timestamp[ms]} (the field metadata keeps the dtype), so that
 * pandas gets datetimes, as from StaticFrame's {@code to_pandas}: an Arrow {@code date32} becomes Python
 * dates that pandas cannot hold outside the years 1 to 9999, and hours as int64 counts plain numbers.
 * Written back as NumPy, the milliseconds are days (hours, ...) again.
 */
public final class TemporalUnits {
  private static final long SECONDS_PER_DAY = 86_400;

  private TemporalUnits() {}

  /**
   * How many of the timestamp's units make one unit of {@code target}, when a naive timestamp is
   * written as a datetime dtype of a coarser fixed unit (days, hours, minutes, ...); 1 otherwise.
   */
  public static long divisor(ArrowType type, NpyDtype target) {
    if (!(type instanceof ArrowType.Timestamp ts) || ts.getTimezone() != null || target == null
        || target.kind() != Kind.DATETIME || target.unitMultiplier() != 1) {
      return 1;
    }
    long source = nanos(ts.getUnit());
    long wanted = switch (target.unit()) {
      case WEEK -> 7 * SECONDS_PER_DAY * 1_000_000_000L;
      case DAY -> SECONDS_PER_DAY * 1_000_000_000L;
      case HOUR -> 3_600_000_000_000L;
      case MINUTE -> 60_000_000_000L;
      case SECOND -> 1_000_000_000L;
      case MILLISECOND -> 1_000_000L;
      case MICROSECOND -> 1_000L;
      case NANOSECOND -> 1L;
      default -> 0; // months and years have no fixed length
    };
    return wanted > source && wanted % source == 0 ? wanted / source : 1;
  }

  private static long nanos(TimeUnit unit) {
    return switch (unit) {
      case SECOND -> 1_000_000_000L;
      case MILLISECOND -> 1_000_000L;
      case MICROSECOND -> 1_000L;
      case NANOSECOND -> 1L;
    };
  }

  /**
   * A frame's datetime column in a fixed unit coarser than seconds (weeks, days, hours, minutes: a
   * {@code date32}, or int64 counts where Arrow has no such unit) as {@code timestamp[ms]}, its field
   * metadata (the NumPy dtype) kept, the values copied as milliseconds (the coarsest unit Parquet keeps,
   * so the type survives it); NaT is null. Takes over {@code vector} (closes it) when it converts; any
   * other vector, or counts too large for milliseconds, pass through as they are.
   */
  public static FieldVector asMillis(FieldVector vector) {
    long perUnit = 1000 * secondsPerUnit(vector);
    if (perUnit == 0) {
      return vector;
    }
    Field f = vector.getField();
    Field seconds = new Field(f.getName(), new FieldType(true, new ArrowType.Timestamp(TimeUnit.MILLISECOND, null),
        null, f.getMetadata()), null);
    TimeStampMilliVector out = (TimeStampMilliVector) seconds.createVector(vector.getAllocator());
    try {
      int n = vector.getValueCount();
      out.allocateNew(n);
      for (int i = 0; i < n; i++) {
        long count = vector instanceof DateDayVector d ? (d.isNull(i) ? NAT : d.get(i)) : ((BigIntVector) vector).get(i);
        if (count == NAT) {
          out.setNull(i);
        } else {
          out.set(i, Math.multiplyExact(count, perUnit));
        }
      }
      out.setValueCount(n);
    } catch (ArithmeticException e) {
      out.close();
      return vector; // beyond what milliseconds hold: stays as counts
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    vector.close();
    return out;
  }

  private static final long NAT = Long.MIN_VALUE;

  /** Seconds in one unit of the vector's datetime values, or 0 when it is not such a column. */
  private static long secondsPerUnit(FieldVector vector) {
    if (vector instanceof DateDayVector) {
      return SECONDS_PER_DAY;
    }
    NpyDtype dtype = NumpyMetadata.descr(vector.getField());
    if (!(vector instanceof BigIntVector) || dtype == null || dtype.kind() != Kind.DATETIME
        || dtype.unitMultiplier() != 1) {
      return 0;
    }
    return switch (dtype.unit()) {
      case WEEK -> 7 * SECONDS_PER_DAY;
      case HOUR -> 3_600;
      case MINUTE -> 60;
      default -> 0;
    };
  }
}
