package io.arrownpz.cli;

/**
 * One input in one format: median times over the runs, in milliseconds, and the bytes on disk; or why
 * the format could not hold the input.
 *
 * @param openMs opening the written file as a table without touching its values (a mapped format's
 *     pages are not read yet)
 * @param readMs opening it and reading every buffer (a checksum over all values): the file's first read
 * @param rereadMs the same again, the file read a second time through a {@link io.arrownpz.cache.ReadCache}
 *     the run owns (warm: its mapping kept from the first read where the format maps)
 */
record Measurement(String input, Contender format, double writeMs, double openMs, double readMs, double rereadMs,
    long bytes, String error) {
  static Measurement failed(String input, Contender format, String error) {
    return new Measurement(input, format, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1, error);
  }

  boolean ok() {
    return error == null;
  }
}
