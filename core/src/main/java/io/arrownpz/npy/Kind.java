package io.arrownpz.npy;

/** The kind character of a NumPy descr, as far as this library understands it. */
public enum Kind {
  BOOL('b'),
  INT('i'),
  UINT('u'),
  FLOAT('f'),
  COMPLEX('c'),
  DATETIME('M'),
  TIMEDELTA('m'),
  UNICODE('U'),
  BYTES('S'),
  VOID('V');

  private final char code;

  Kind(char code) {
    this.code = code;
  }

  public char code() {
    return code;
  }

  public boolean isTemporal() {
    return this == DATETIME || this == TIMEDELTA;
  }
}
