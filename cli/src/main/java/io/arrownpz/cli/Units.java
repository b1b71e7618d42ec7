package io.arrownpz.cli;

import java.util.Locale;

/** Sizes and durations in the units people read. */
final class Units {
  private Units() {}

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  static String millis(double ms) {
    if (ms < 1) {
      return String.format(Locale.ROOT, "%.0f us", ms * 1000);
    }
    if (ms < 1000) {
      return String.format(Locale.ROOT, "%.1f ms", ms);
    }
    return String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  /** A count with thousands separators: 1e6 as "1,000,000". */
  static String count(double n) {
    return String.format(java.util.Locale.ROOT, "%,d", Math.round(n));
  }
}
