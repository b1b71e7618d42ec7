package io.arrownpz;

/**
 * A column of a table in memory that cannot be written where it was asked to go: an Arrow type NumPy
 * cannot hold, nulls where NumPy has none, a string too wide for its declared dtype. It is unchecked
 * because the table is the caller's argument, not an input file. Where a file is the source (a
 * conversion), the same refusal reaches the caller as an {@link UnsupportedFileException} naming the file;
 * every problem of an input file is a {@link BadFileException}. {@link #remedy()} names the option that
 * gets past it, if one does.
 */
public class UnsupportedDataException extends IllegalArgumentException {
  private final String column;
  private final String problem;
  private final Remedy remedy;

  public UnsupportedDataException(String column, String problem) {
    this(column, problem, null);
  }

  public UnsupportedDataException(String column, String problem, Remedy remedy) {
    super("column '" + column + "': " + problem);
    this.column = column;
    this.problem = problem;
    this.remedy = remedy;
  }

  /** The column refused. */
  public String column() {
    return column;
  }

  /** What is wrong with it, without the column's name. */
  public String problem() {
    return problem;
  }

  /** The choice that gets past this refusal, or null when there is none. */
  public Remedy remedy() {
    return remedy;
  }
}
