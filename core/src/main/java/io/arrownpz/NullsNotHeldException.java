package io.arrownpz;

/**
 * A column with nulls bound for a NumPy dtype that has no null (ints, bools, strings, bytes), where no
 * mask can go beside it (a single {@code .npy}, a frame). Integers and booleans can be written as float64
 * with NaN ({@link Remedy#NULLS_TO_FLOAT}); strings and bytes have no such way out.
 */
public class NullsNotHeldException extends UnsupportedDataException {
  /** @param nulls the column's null count; {@code dtype} the NumPy dtype it was bound for */
  public NullsNotHeldException(String column, long nulls, Object dtype, boolean toFloat) {
    super(column, nulls + (nulls == 1 ? " null value" : " null values") + ", but NumPy " + dtype + " has no null; "
        + (toFloat ? "convert the column to float or fill the nulls first" : "fill the nulls first"),
        toFloat ? Remedy.NULLS_TO_FLOAT : null);
  }
}
