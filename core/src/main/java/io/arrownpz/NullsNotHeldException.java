package io.arrownpz;

/**
 * A column with nulls bound for a NumPy dtype that has no null (ints, bools, strings, bytes), where no
 * mask can go beside it (a single {@code .npy}, a frame). Callers can offer the way out they have, such
 * as writing integers and booleans as float64 with NaN.
 */
public class NullsNotHeldException extends UnsupportedDataException {
  public NullsNotHeldException(String column, String problem) {
    super(column, problem, Remedy.NULLS_TO_FLOAT);
  }
}
