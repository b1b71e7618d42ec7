package io.arrownpz.internal.arrow;

import io.arrownpz.arrow.NumpyMetadata;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;

/**
 * Integer and boolean columns with nulls as float64 with NaN, pandas' old way of holding such a column in
 * NumPy: for outputs that must be plain arrays with no mask beside them (the user's choice).
 */
public final class NullsToFloat {
  private NullsToFloat() {}

  /**
   * A float64 copy of {@code v} with NaN for its nulls, or null when {@code v} is no integer or boolean
   * column with nulls (datetimes held as int64 counts included: NaT is their null). The caller closes it.
   */
  public static Float8Vector of(FieldVector v) {
    var descr = NumpyMetadata.descr(v.getField());
    if (v.getNullCount() == 0 || !(v instanceof BaseIntVector || v instanceof BitVector)
        || descr != null && descr.kind().isTemporal()) {
      return null;
    }
    Float8Vector f = new Float8Vector(v.getName(), v.getAllocator());
    int n = v.getValueCount();
    f.allocateNew(n);
    for (int i = 0; i < n; i++) {
      if (v.isNull(i)) {
        f.set(i, Double.NaN);
      } else if (v instanceof BitVector b) {
        f.set(i, b.get(i));
      } else {
        f.set(i, (double) ((BaseIntVector) v).getValueAsLong(i));
      }
    }
    f.setValueCount(n);
    return f;
  }
}
