package io.arrownpz.npy;

/** The units NumPy accepts inside {@code M8[...]} and {@code m8[...]}. */
public enum DateUnit {
  YEAR("Y"),
  MONTH("M"),
  WEEK("W"),
  DAY("D"),
  HOUR("h"),
  MINUTE("m"),
  SECOND("s"),
  MILLISECOND("ms"),
  MICROSECOND("us"),
  NANOSECOND("ns"),
  PICOSECOND("ps"),
  FEMTOSECOND("fs"),
  ATTOSECOND("as"),
  /** {@code <M8} with no unit at all. */
  GENERIC("");

  private final String code;

  DateUnit(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  static DateUnit fromCode(String code) {
    for (DateUnit unit : values()) {
      if (unit != GENERIC && unit.code.equals(code)) {
        return unit;
      }
    }
    return null;
  }
}
