package io.arrownpz.frame;

import io.arrownpz.arrow.NumpyMetadata;
import io.arrownpz.npy.DateUnit;
import io.arrownpz.npy.NpyDtype;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The text of frame labels, as field names: a string label is itself; other labels are written as
 * Python's {@code str} would; a hierarchical label (a tuple) as pyarrow names such columns,
 * {@code str(tuple(str(level) for level in label))}, which pandas parses back.
 */
final class Labels {
  private Labels() {}

  static String text(FieldVector v, int i) {
    if (v.isNull(i)) {
      return v instanceof TimeStampVector || v instanceof DateDayVector || temporal(v) ? "NaT" : "None";
    }
    if (v instanceof VarCharVector s) {
      return new String(s.get(i), StandardCharsets.UTF_8);
    }
    if (v instanceof VarBinaryVector b) {
      return "b" + repr(new String(b.get(i), StandardCharsets.ISO_8859_1));
    }
    if (v instanceof BitVector b) {
      return b.get(i) == 1 ? "True" : "False";
    }
    if (v instanceof DateDayVector d) {
      return LocalDate.ofEpochDay(d.get(i)).toString();
    }
    if (v instanceof TimeStampVector t) {
      NpyDtype dtype = NumpyMetadata.descr(v.getField());
      return instant(t.get(i), dtype == null ? DateUnit.NANOSECOND : dtype.unit());
    }
    if (v instanceof UInt8Vector u) {
      return Long.toUnsignedString(u.get(i));
    }
    if (temporal(v)) {
      return calendar(((BaseIntVector) v).getValueAsLong(i), NumpyMetadata.descr(v.getField()));
    }
    if (v instanceof BaseIntVector n) {
      return Long.toString(n.getValueAsLong(i));
    }
    if (v instanceof Float4Vector f) {
      return PythonFloat.repr(f.get(i));
    }
    if (v instanceof FloatingPointVector f) {
      return PythonFloat.repr(f.getValueAsDouble(i));
    }
    return String.valueOf(v.getObject(i));
  }

  private static boolean temporal(FieldVector v) {
    NpyDtype d = NumpyMetadata.descr(v.getField());
    return d != null && d.kind().isTemporal();
  }

  /** Calendar units NumPy prints as dates: years, months; other units as counts with the unit. */
  private static String calendar(long count, NpyDtype dtype) {
    if (dtype == null || dtype.unitMultiplier() != 1) {
      return Long.toString(count);
    }
    return switch (dtype.unit()) {
      case YEAR -> Long.toString(1970 + count);
      case MONTH -> String.format("%04d-%02d", 1970 + Math.floorDiv(count, 12), Math.floorMod(count, 12) + 1);
      case WEEK -> LocalDate.ofEpochDay(count * 7).toString();
      case DAY -> LocalDate.ofEpochDay(count).toString();
      default -> Long.toString(count);
    };
  }

  private static String instant(long count, DateUnit unit) {
    Instant t = switch (unit) {
      case SECOND -> Instant.ofEpochSecond(count);
      case MILLISECOND -> Instant.ofEpochMilli(count);
      case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(count, 1_000_000), Math.floorMod(count, 1_000_000) * 1000L);
      default -> Instant.ofEpochSecond(Math.floorDiv(count, 1_000_000_000), Math.floorMod(count, 1_000_000_000));
    };
    String pattern = switch (unit) {
      case SECOND -> "yyyy-MM-dd'T'HH:mm:ss";
      case MILLISECOND -> "yyyy-MM-dd'T'HH:mm:ss.SSS";
      case MICROSECOND -> "yyyy-MM-dd'T'HH:mm:ss.SSSSSS";
      default -> "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS";
    };
    return DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(t);
  }

  /** pyarrow's name for a column with a hierarchical label. */
  static String tuple(List<String> levels) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < levels.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(repr(levels.get(i)));
    }
    if (levels.size() == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }

  /** Python's repr of a str. */
  static String repr(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder b = new StringBuilder().append(quote);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == quote) {
        b.append('\\').append(c);
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c == '\t') {
        b.append("\\t");
      } else if (c == '\r') {
        b.append("\\r");
      } else {
        b.append(c);
      }
    }
    return b.append(quote).toString();
  }
}
