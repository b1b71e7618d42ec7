package io.arrownpz;

/**
 * Data that is valid but has no equivalent on the other side of a conversion: an Arrow type NumPy
 * cannot hold, nulls where NumPy has none, a string too wide for its declared dtype.
 */
public class UnsupportedDataException extends IllegalArgumentException {
  public UnsupportedDataException(String column, String problem) {
    super("column '" + column + "': " + problem);
  }
}
