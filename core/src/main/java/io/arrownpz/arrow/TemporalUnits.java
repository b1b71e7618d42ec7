package io.arrownpz.arrow;

import io.arrownpz.npy.DateUnit;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyDtype;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampSecVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Datetimes held in a finer unit than their NumPy dtype's. A frame's {@code datetime64[D]} column is an
 * Arrow {@code timestamp[s]} (the field metadata keeps the dtype): that is what pandas makes of it, and
 * what StaticFrame's {@code to_pandas} gives, where an Arrow {@code date32} becomes Python dates that
 * pandas cannot even hold outside the years 1 to 9999. Written back as NumPy, the seconds are days again.
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
   * A {@code date32} column of a frame as {@code timestamp[s]}, its field metadata (the NumPy dtype)
   * kept; the days are copied as seconds. Takes over {@code days} (closes it); other vectors pass through.
   */
  public static FieldVector daysAsSeconds(FieldVector days) {
    if (!(days instanceof org.apache.arrow.vector.DateDayVector d)) {
      return days;
    }
    Field f = d.getField();
    Field seconds = new Field(f.getName(), new FieldType(f.isNullable(), new ArrowType.Timestamp(TimeUnit.SECOND, null),
        null, f.getMetadata()), null);
    TimeStampSecVector out = (TimeStampSecVector) seconds.createVector(d.getAllocator());
    try (d) {
      int n = d.getValueCount();
      out.allocateNew(n);
      for (int i = 0; i < n; i++) {
        if (d.isNull(i)) {
          out.setNull(i);
        } else {
          out.set(i, d.get(i) * SECONDS_PER_DAY);
        }
      }
      out.setValueCount(n);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }
}
