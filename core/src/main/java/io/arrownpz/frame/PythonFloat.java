package io.arrownpz.frame;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr} of a float (also its {@code str}, and what {@code json.dumps} writes for a finite
 * float): the fewest significant digits that read back as the same value, the nearest such decimal where
 * several have that many digits, written in positional notation when the decimal exponent lies in
 * [-4, 16) and as {@code d.ddde+XX} (at least two exponent digits) otherwise. Java's
 * {@code Double.toString} differs in notation ({@code 1.0E-5} for {@code 1e-05}) and, on Java 17, now and
 * then in digits, so frame metadata written with it is not what StaticFrame writes.
 */
final class PythonFloat {
  private PythonFloat() {}

  /** {@code repr(float(d))}, with {@code nan}, {@code inf} and {@code -inf} as Python spells them. */
  static String repr(double d) {
    String special = special(d);
    return special != null ? special : finite(d, false);
  }

  /**
   * {@code str(numpy.float32(f))}: the shortest digits that read back as the same float32, positional
   * for magnitudes in [1e-4, 1e6) only (NumPy's bound for float32 scalars).
   */
  static String repr(float f) {
    String special = special(f);
    return special != null ? special : finite(f, true);
  }

  /** How Python spells a value that is not a finite number, or null for a finite one. */
  private static String special(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    return null;
  }

  private static String finite(double d, boolean single) {
    int highestPositional = single ? 6 : 16;
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(d);
    BigDecimal digits = shortest(exact, d, single);
    String sign = d < 0 ? "-" : "";
    BigDecimal magnitude = digits.abs().stripTrailingZeros();
    String s = magnitude.unscaledValue().toString();
    // value = 0.s x 10^point
    int point = s.length() - magnitude.scale();
    return sign + (point > -4 && point <= highestPositional ? positional(s, point) : scientific(s, point - 1));
  }

  /**
   * The fewest significant digits that parse back to {@code d}; among candidates of that length, the
   * nearest to its exact value. Rounding to nearest alone could miss at a power of two, where the
   * interval that reads back as {@code d} is narrower below than above.
   */
  private static BigDecimal shortest(BigDecimal exact, double d, boolean single) {
    RoundingMode[] modes = {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING};
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal best = null;
      for (RoundingMode mode : modes) {
        BigDecimal candidate = exact.round(new MathContext(precision, mode));
        boolean same = single ? candidate.floatValue() == (float) d : candidate.doubleValue() == d;
        if (same
            && (best == null
                || candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
          best = candidate;
        }
      }
      if (best != null) {
        return best;
      }
    }
    return exact.round(MathContext.DECIMAL64);
  }

  private static String positional(String s, int point) {
    if (point <= 0) {
      return "0." + "0".repeat(-point) + s;
    }
    if (point >= s.length()) {
      return s + "0".repeat(point - s.length()) + ".0";
    }
    return s.substring(0, point) + "." + s.substring(point);
  }

  private static String scientific(String s, int exponent) {
    String mantissa = s.length() == 1 ? s : s.charAt(0) + "." + s.substring(1);
    String digits = Integer.toString(Math.abs(exponent));
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + (digits.length() < 2 ? "0" + digits : digits);
  }
}
