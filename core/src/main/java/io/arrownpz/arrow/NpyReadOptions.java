package io.arrownpz.arrow;

/**
 * Choices in turning NumPy arrays into Arrow vectors.
 *
 * @param fixedSizeBinary map {@code S<n>} and {@code V<n>} to FixedSizeBinary(n) over the file's bytes
 *     (NUL padding kept) instead of Binary with the padding trimmed
 */
public record NpyReadOptions(boolean fixedSizeBinary) {
  public static final NpyReadOptions DEFAULTS = new NpyReadOptions(false);

  public NpyReadOptions withFixedSizeBinary(boolean value) {
    return new NpyReadOptions(value);
  }
}
