package io.arrownpz;

/**
 * Data that is valid but has no equivalent on the other side of a conversion: an Arrow type NumPy
 * cannot hold, nulls where NumPy has none, a string too wide for its declared dtype.
 */
public class UnsupportedDataException extends IllegalArgumentException {
  private final Remedy remedy;

  public UnsupportedDataException(String column, String problem) {
    this(column, problem, null);
  }

  public UnsupportedDataException(String column, String problem, Remedy remedy) {
    super("column '" + column + "': " + problem);
    this.remedy = remedy;
  }

  /** The choice that gets past this refusal, or null when there is none. */
  public Remedy remedy() {
    return remedy;
  }
}
