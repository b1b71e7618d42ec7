package io.arrownpz.npy;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One NumPy dtype in the form NumPy writes it into NPY headers ({@code dtype.str}): a byte-order
 * character, a kind, a size and, for datetimes, a unit. Immutable; {@link #descr()} gives back the exact
 * text, so a dtype read from a file is written back unchanged.
 */
public final class NpyDtype {
  /** {@code <} little-endian, {@code >} big-endian, {@code |} not applicable (one-byte and byte-string kinds). */
  private final char byteOrder;
  private final Kind kind;
  private final int itemSize;
  private final DateUnit unit;
  private final long unitMultiplier;
  private String descr; // spelled once, on first use: a wide frame asks for it per column on every open

  private NpyDtype(char byteOrder, Kind kind, int itemSize, DateUnit unit, long unitMultiplier) {
    this.byteOrder = byteOrder;
    this.kind = kind;
    this.itemSize = itemSize;
    this.unit = unit;
    this.unitMultiplier = unitMultiplier;
  }

  public static NpyDtype of(Kind kind, int itemSize) {
    return of(kind, itemSize, ByteOrder.LITTLE_ENDIAN);
  }

  public static NpyDtype of(Kind kind, int itemSize, ByteOrder order) {
    if (kind.isTemporal()) {
      throw new IllegalArgumentException("datetime dtypes need a unit: use temporal()");
    }
    return new NpyDtype(orderChar(kind, itemSize, order), kind, itemSize, null, 0);
  }

  public static NpyDtype temporal(Kind kind, DateUnit unit, long multiplier, ByteOrder order) {
    if (!kind.isTemporal()) {
      throw new IllegalArgumentException(kind + " is not a datetime kind");
    }
    return new NpyDtype(orderChar(kind, 8, order), kind, 8, unit, multiplier);
  }

  private static char orderChar(Kind kind, int itemSize, ByteOrder order) {
    boolean orderless = itemSize == 1 && kind != Kind.UNICODE || kind == Kind.BYTES || kind == Kind.VOID;
    if (orderless) {
      return '|';
    }
    return order == ByteOrder.BIG_ENDIAN ? '>' : '<';
  }

  /**
   * Parses a descr string such as {@code <f8}, {@code |S5}, {@code >U3}, {@code <M8[10s]}.
   *
   * @throws IllegalArgumentException naming what is wrong, for object dtypes, unknown kinds and sizes
   */
  public static NpyDtype parse(String descr) {
    NpyDtype known = PARSED.get(descr);
    if (known != null) {
      return known;
    }
    NpyDtype parsed = parseText(descr);
    if (PARSED.size() < PARSED_MAX) {
      PARSED.putIfAbsent(descr, parsed);
    }
    return parsed;
  }

  /**
   * Dtypes parsed before, by their text: a wide frame names the same few dtypes once per column, and
   * a dtype is immutable. Bounded, since the texts come from files.
   */
  private static final java.util.Map<String, NpyDtype> PARSED = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int PARSED_MAX = 4096;

  private static NpyDtype parseText(String descr) {
    if (descr.isEmpty()) {
      throw new IllegalArgumentException("empty descr");
    }
    char order = descr.charAt(0);
    String rest = descr;
    if (order == '<' || order == '>' || order == '|' || order == '=') {
      rest = descr.substring(1);
    } else {
      order = '|';
    }
    if (order == '=') {
      order = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? '>' : '<';
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("descr '" + descr + "' has no kind");
    }
    char kindChar = rest.charAt(0);
    if (kindChar == 'O') {
      throw new IllegalArgumentException(
          "dtype '" + descr + "' holds pickled Python objects, which are never loaded");
    }
    if (kindChar == 'M' || kindChar == 'm') {
      return parseTemporal(descr, order, kindChar == 'M' ? Kind.DATETIME : Kind.TIMEDELTA, rest.substring(1));
    }
    Kind kind = switch (kindChar) {
      case 'b', '?' -> Kind.BOOL;
      case 'i' -> Kind.INT;
      case 'u' -> Kind.UINT;
      case 'f' -> Kind.FLOAT;
      case 'c' -> Kind.COMPLEX;
      case 'U' -> Kind.UNICODE;
      case 'S', 'a' -> Kind.BYTES;
      case 'V' -> Kind.VOID;
      default -> throw new IllegalArgumentException("unknown dtype '" + descr + "'");
    };
    int count = parseSize(descr, rest.substring(1), kind == Kind.BOOL ? 1 : -1);
    int itemSize;
    switch (kind) {
      case BOOL -> requireSize(descr, count, 1);
      case INT, UINT -> requireSize(descr, count, 1, 2, 4, 8);
      case FLOAT -> {
        if (count == 16 || count == 12) {
          throw new IllegalArgumentException("dtype '" + descr + "' is a long double, which has no portable layout");
        }
        requireSize(descr, count, 2, 4, 8);
      }
      case COMPLEX -> {
        if (count == 32 || count == 24) {
          throw new IllegalArgumentException("dtype '" + descr + "' is a long double complex, which has no portable layout");
        }
        requireSize(descr, count, 8, 16);
      }
      case VOID -> {
        if (count < 1) {
          throw new IllegalArgumentException("dtype '" + descr + "' must have at least one byte");
        }
      }
      default -> {
      }
    }
    if (kind == Kind.UNICODE) {
      if (count > Integer.MAX_VALUE / 4) {
        throw new IllegalArgumentException("dtype '" + descr + "' is too wide");
      }
      itemSize = count * 4;
    } else {
      itemSize = count;
    }
    if (itemSize == 1 && kind != Kind.UNICODE || kind == Kind.BYTES || kind == Kind.VOID) {
      order = '|';
    } else if (order == '|') {
      // A multi-byte number with '|' is how some writers spell native order.
      order = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? '>' : '<';
    }
    return new NpyDtype(order, kind, itemSize, null, 0);
  }

  private static NpyDtype parseTemporal(String descr, char order, Kind kind, String rest) {
    if (!rest.startsWith("8")) {
      throw new IllegalArgumentException("dtype '" + descr + "': datetimes are 8 bytes");
    }
    String unitPart = rest.substring(1);
    if (unitPart.isEmpty()) {
      return new NpyDtype(order == '|' ? '<' : order, kind, 8, DateUnit.GENERIC, 1);
    }
    if (!unitPart.startsWith("[") || !unitPart.endsWith("]")) {
      throw new IllegalArgumentException("dtype '" + descr + "' has a malformed unit");
    }
    String inside = unitPart.substring(1, unitPart.length() - 1);
    int digits = 0;
    while (digits < inside.length() && Character.isDigit(inside.charAt(digits))) {
      digits++;
    }
    long multiplier = 1;
    if (digits > 0) {
      try {
        multiplier = Long.parseLong(inside.substring(0, digits));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("dtype '" + descr + "' has a unit multiplier out of range");
      }
      if (multiplier < 1) {
        throw new IllegalArgumentException("dtype '" + descr + "' has a zero unit multiplier");
      }
      if (multiplier > Integer.MAX_VALUE) {
        // NumPy keeps the multiplier in a C int and refuses larger ones.
        throw new IllegalArgumentException("dtype '" + descr + "' has a unit multiplier out of range");
      }
    }
    DateUnit unit = DateUnit.fromCode(inside.substring(digits));
    if (unit == null) {
      throw new IllegalArgumentException("dtype '" + descr + "' has an unknown unit");
    }
    return new NpyDtype(order == '|' ? '<' : order, kind, 8, unit, multiplier);
  }

  private static int parseSize(String descr, String digits, int defaultSize) {
    if (digits.isEmpty()) {
      if (defaultSize >= 0) {
        return defaultSize;
      }
      throw new IllegalArgumentException("dtype '" + descr + "' has no size");
    }
    for (int i = 0; i < digits.length(); i++) {
      if (!Character.isDigit(digits.charAt(i))) {
        throw new IllegalArgumentException("unknown dtype '" + descr + "'");
      }
    }
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("dtype '" + descr + "' has a size out of range");
    }
  }

  private static void requireSize(String descr, int size, int... allowed) {
    for (int a : allowed) {
      if (a == size) {
        return;
      }
    }
    throw new IllegalArgumentException("unknown dtype '" + descr + "': no such size for this kind");
  }

  /** The descr exactly as NumPy spells it ({@code dtype.str}). */
  public String descr() {
    String d = descr;
    if (d == null) {
      d = spell();
      descr = d; // racing threads spell equal strings; either will do
    }
    return d;
  }

  private String spell() {
    StringBuilder b = new StringBuilder(8).append(byteOrder);
    switch (kind) {
      case BOOL -> b.append("b1");
      case DATETIME, TIMEDELTA -> {
        b.append(kind.code()).append('8');
        if (unit != DateUnit.GENERIC) {
          b.append('[');
          if (unitMultiplier != 1) {
            b.append(unitMultiplier);
          }
          b.append(unit.code()).append(']');
        }
      }
      case UNICODE -> b.append('U').append(itemSize / 4);
      default -> b.append(kind.code()).append(itemSize);
    }
    return b.toString();
  }

  public Kind kind() {
    return kind;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /** For U: code points per element; for S and V: bytes per element; otherwise 1. */
  public int width() {
    return switch (kind) {
      case UNICODE -> itemSize / 4;
      case BYTES, VOID -> itemSize;
      default -> 1;
    };
  }

  /** Whether the bytes of one element must be reversed to read them on a little-endian machine. */
  public boolean isBigEndian() {
    return byteOrder == '>';
  }

  public ByteOrder byteOrder() {
    return byteOrder == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
  }

  /** The width in bytes of one number for byte swapping: half the item for complex. */
  public int swapUnit() {
    return switch (kind) {
      case COMPLEX -> itemSize / 2;
      case UNICODE -> 4;
      case BYTES, VOID, BOOL -> 1;
      default -> itemSize;
    };
  }

  /** The datetime unit, or null for kinds that have none. */
  public DateUnit unit() {
    return unit;
  }

  public long unitMultiplier() {
    return unitMultiplier;
  }

  /** The same string or bytes dtype with room for {@code width} code points or bytes. */
  public NpyDtype withWidth(int width) {
    if (kind != Kind.UNICODE && kind != Kind.BYTES && kind != Kind.VOID) {
      throw new IllegalArgumentException(descr() + " has no width");
    }
    return new NpyDtype(byteOrder, kind, kind == Kind.UNICODE ? Math.multiplyExact(width, 4) : width, null, 0);
  }

  /** The same dtype in little-endian order. */
  public NpyDtype littleEndian() {
    return byteOrder == '>' ? new NpyDtype('<', kind, itemSize, unit, unitMultiplier) : this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NpyDtype d && d.descr().equals(descr());
  }

  @Override
  public int hashCode() {
    return Objects.hash(descr());
  }

  @Override
  public String toString() {
    return descr();
  }
}
