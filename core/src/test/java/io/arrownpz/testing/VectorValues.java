package io.arrownpz.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.arrow.memory.util.Float16;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/**
 * Flattens vectors and manifest values to one comparable form: integers as BigInteger, floats as Double
 * (NaN and -0.0 kept apart by Double.equals), complex as [re, im], datetimes as counts with NaT as
 * Long.MIN_VALUE, text as String, bytes as base64, in C order.
 */
public final class VectorValues {
  private VectorValues() {}

  public static List<Object> flatten(FieldVector vector) {
    List<Object> out = new ArrayList<>();
    FieldVector v = vector;
    if (v instanceof ExtensionTypeVector<?> ext) {
      v = ((FixedSizeListVector) ext.getUnderlyingVector()).getDataVector();
    }
    if (v instanceof FixedSizeListVector pairs) {
      FieldVector parts = pairs.getDataVector();
      for (int i = 0; i < pairs.getValueCount(); i++) {
        out.add(List.of(floatAt(parts, 2 * i), floatAt(parts, 2 * i + 1)));
      }
      return out;
    }
    for (int i = 0; i < v.getValueCount(); i++) {
      out.add(valueAt(v, i));
    }
    return out;
  }

  private static Object valueAt(FieldVector v, int i) {
    if (v instanceof TimeStampVector || v instanceof DurationVector || v instanceof DateDayVector
        || v.getField().getMetadata().getOrDefault("numpy.descr", "").matches("[<>|=]?[Mm]8.*")) {
      if (v.isNull(i)) {
        return BigInteger.valueOf(Long.MIN_VALUE);
      }
      if (v instanceof DateDayVector d) {
        return BigInteger.valueOf(d.get(i));
      }
      if (v instanceof DurationVector d) {
        return BigInteger.valueOf(d.getDataBuffer().getLong(8L * i));
      }
      // Counts in the NumPy dtype's unit: a frame's days are held as seconds (TemporalUnits).
      String descr = v.getField().getMetadata().get("numpy.descr");
      long divisor = descr == null ? 1
          : io.arrownpz.internal.arrow.TemporalUnits.divisor(v.getField().getType(), io.arrownpz.npy.NpyDtype.parse(descr));
      return BigInteger.valueOf(v.getDataBuffer().getLong(8L * i) / divisor);
    }
    if (v instanceof BitVector b) {
      return b.get(i) == 1;
    }
    if (v instanceof UInt8Vector u) {
      return new BigInteger(Long.toUnsignedString(u.get(i)));
    }
    if (v instanceof UInt1Vector u) {
      return BigInteger.valueOf(u.get(i) & 0xFF);
    }
    if (v instanceof UInt2Vector u) {
      return BigInteger.valueOf(u.get(i));
    }
    if (v instanceof UInt4Vector u) {
      return BigInteger.valueOf(u.get(i) & 0xFFFFFFFFL);
    }
    if (v instanceof BaseIntVector n) {
      return BigInteger.valueOf(n.getValueAsLong(i));
    }
    if (v instanceof Float2Vector || v instanceof Float4Vector || v instanceof Float8Vector) {
      return floatAt(v, i);
    }
    if (v instanceof VarCharVector s) {
      return new String(s.get(i), java.nio.charset.StandardCharsets.UTF_8);
    }
    if (v instanceof LargeVarCharVector s) {
      return new String(s.get(i), java.nio.charset.StandardCharsets.UTF_8);
    }
    if (v instanceof VarBinaryVector b) {
      return Base64.getEncoder().encodeToString(b.get(i));
    }
    if (v instanceof LargeVarBinaryVector b) {
      return Base64.getEncoder().encodeToString(b.get(i));
    }
    if (v instanceof FixedSizeBinaryVector b) {
      return Base64.getEncoder().encodeToString(b.get(i));
    }
    throw new IllegalArgumentException("no flattening for " + v.getClass().getSimpleName());
  }

  private static Double floatAt(FieldVector v, int i) {
    if (v instanceof Float2Vector h) {
      return (double) Float16.toFloat(h.getDataBuffer().getShort(2L * i));
    }
    if (v instanceof Float4Vector f) {
      return (double) f.get(i);
    }
    return ((Float8Vector) v).get(i);
  }

  /** The manifest's values for an entry, in the same form. */
  public static List<Object> expected(JsonNode entry) {
    String descr = entry.get("descr").asText();
    char kind = descr.charAt(1);
    List<Object> out = new ArrayList<>();
    for (JsonNode value : entry.get("values")) {
      out.add(switch (kind) {
        case 'b' -> value.asBoolean();
        case 'f' -> number(value);
        case 'c' -> List.of(number(value.get(0)), number(value.get(1)));
        case 'U' -> value.asText();
        case 'S', 'V' -> value.asText();
        default -> value.bigIntegerValue();
      });
    }
    return out;
  }

  private static Double number(JsonNode value) {
    if (value.isTextual()) {
      return switch (value.asText()) {
        case "nan" -> Double.NaN;
        case "inf" -> Double.POSITIVE_INFINITY;
        case "-inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(value.asText());
      };
    }
    return value.asDouble();
  }
}
