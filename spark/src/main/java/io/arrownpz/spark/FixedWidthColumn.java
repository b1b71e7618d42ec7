package io.arrownpz.spark;

import java.util.Objects;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A Spark column over an Arrow fixed-width vector (booleans, signed integers, floats, dates, microsecond
 * timestamps) that reads its values at their addresses. Spark's {@code ArrowColumnVector} reads the same
 * bytes through Arrow's accessors, which check the buffer's reference count and the value's validity on every
 * call; that check is a fifth of a scan's time on a wide table. Here the bounds are checked against the row
 * count (an intrinsic the JIT hoists out of Spark's loops) and the buffers' lifetime once, by the reader:
 * {@link #release} is called before the vector's memory can go (the next batch, the reader's close), and any
 * later read throws instead of touching memory that may be unmapped.
 *
 * <p>The column does not own the vector: the reader closes it.
 */
final class FixedWidthColumn extends ColumnVector {
  private final int rows;
  private final int nulls;
  /** Address of the values, or 0 once released. */
  private long values;
  /** Address of the validity bits; 0 when no value is null. */
  private long validity;

  private FixedWidthColumn(DataType type, BaseFixedWidthVector vector, int rows) {
    super(type);
    this.rows = rows;
    this.nulls = vector.getNullCount();
    this.values = vector.getDataBuffer().memoryAddress();
    this.validity = nulls == 0 ? 0 : vector.getValidityBuffer().memoryAddress();
    if (rows > vector.getValueCount()) {
      throw new IllegalArgumentException("npz: " + rows + " rows asked of a column of " + vector.getValueCount());
    }
  }

  /**
   * A column reading {@code vector}'s first {@code rows} values at their addresses, or null for a vector of
   * another kind (strings, lists: Spark's {@code ArrowColumnVector} reads those).
   */
  static FixedWidthColumn of(DataType type, FieldVector vector, int rows) {
    boolean fixed = vector instanceof BitVector || vector instanceof TinyIntVector
        || vector instanceof SmallIntVector || vector instanceof IntVector || vector instanceof BigIntVector
        || vector instanceof Float4Vector || vector instanceof Float8Vector || vector instanceof DateDayVector
        || vector instanceof TimeStampMicroVector || vector instanceof TimeStampMicroTZVector;
    return fixed && rows > 0 ? new FixedWidthColumn(type, (BaseFixedWidthVector) vector, rows) : null;
  }

  /** The address of the first value, 0 once released. */
  long valuesAddress() {
    return values;
  }

  /** Ends the column's reads: the vector's memory may go after this. */
  void release() {
    values = 0;
    validity = 0;
  }

  /** The address of row {@code rowId}'s value of {@code 1 << shift} bytes; throws once released or out of range. */
  private long address(int rowId, int shift) {
    return live(values, rowId) + ((long) rowId << shift);
  }

  /** {@code base}, after checking the row and that the column was not released. */
  private long live(long base, int rowId) {
    Objects.checkIndex(rowId, rows);
    if (base == 0) {
      throw new IllegalStateException("npz: a column read after its batch was released");
    }
    return base;
  }

  private static boolean bit(long bits, int rowId) {
    return (Platform.getByte(null, bits + (rowId >>> 3)) >> (rowId & 7) & 1) != 0;
  }

  @Override
  public void close() {
    release();
  }

  @Override
  public boolean hasNull() {
    return nulls > 0;
  }

  @Override
  public int numNulls() {
    return nulls;
  }

  @Override
  public boolean isNullAt(int rowId) {
    if (nulls == 0) {
      return false;
    }
    return !bit(live(validity, rowId), rowId);
  }

  @Override
  public boolean getBoolean(int rowId) {
    return bit(live(values, rowId), rowId);
  }

  @Override
  public byte getByte(int rowId) {
    return Platform.getByte(null, address(rowId, 0));
  }

  @Override
  public short getShort(int rowId) {
    return Platform.getShort(null, address(rowId, 1));
  }

  @Override
  public int getInt(int rowId) {
    return Platform.getInt(null, address(rowId, 2));
  }

  @Override
  public long getLong(int rowId) {
    return Platform.getLong(null, address(rowId, 3));
  }

  @Override
  public float getFloat(int rowId) {
    return Platform.getFloat(null, address(rowId, 2));
  }

  @Override
  public double getDouble(int rowId) {
    return Platform.getDouble(null, address(rowId, 3));
  }

  @Override
  public ColumnarArray getArray(int rowId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ColumnarMap getMap(int ordinal) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Decimal getDecimal(int rowId, int precision, int scale) {
    throw new UnsupportedOperationException();
  }

  @Override
  public UTF8String getUTF8String(int rowId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public byte[] getBinary(int rowId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ColumnVector getChild(int ordinal) {
    throw new UnsupportedOperationException();
  }
}
