package io.arrownpz;

/**
 * A choice the caller can make to get past a refusal. Exceptions carry it so that each front end can say
 * it in its own words (the command line names its option; the Java API the option record's field).
 */
public enum Remedy {
  /** Write types NumPy cannot hold exactly as their nearest dtype ({@link WriteOptions#nearestDtype}). */
  NEAREST_DTYPE,
  /** Write int and bool columns with nulls as float64 with NaN ({@link WriteOptions#nullsToFloat}). */
  NULLS_TO_FLOAT,
  /** Name the one column to write as an {@code .npy} ({@link WriteOptions#column}). */
  CHOOSE_COLUMN,
  /** Read one member of the archive ({@link ReadOptions#member}). */
  CHOOSE_MEMBER
}
