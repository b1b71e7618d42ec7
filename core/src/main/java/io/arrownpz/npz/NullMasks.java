package io.arrownpz.npz;

import io.arrownpz.arrow.NumpyArrowTypes;
import io.arrownpz.npy.Kind;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Nulls in NPZ archives. NumPy arrays have no validity, so a column with nulls is stored as two
 * members: its values, with nulls as NaN where the dtype is a float and as zero or "" otherwise, and a
 * bool mask (true = null), as in NumPy's masked arrays. Datetimes and timedeltas need no mask: their
 * nulls are written as NaT, NumPy's own null for them.
 */
final class NullMasks {
  private NullMasks() {}

  /**
   * Whether {@code vector}'s nulls need a mask member: not when it is stored as a NumPy datetime64 or
   * timedelta64, whose own null, NaT, holds them (NumPy reads NaT as "not a time" with no mask, and so do
   * we). A float's NaN is a value, so floats keep their masks.
   */
  static boolean needsMask(FieldVector vector, String column) {
    return vector.getNullCount() > 0 && !NumpyArrowTypes.dtypeFor(vector, null, column).kind().isTemporal();
  }

  /** The mask of {@code vector}'s nulls, as a bool vector of the same length (true where null). */
  static BitVector maskOf(FieldVector vector, String name, BufferAllocator allocator) {
    BitVector mask = new BitVector(name, allocator);
    int count = vector.getValueCount();
    mask.allocateNew(count);
    for (int i = 0; i < count; i++) {
      mask.set(i, vector.isNull(i) ? 1 : 0);
    }
    mask.setValueCount(count);
    return mask;
  }

  /**
   * The values to store for a column with nulls: the column itself when NumPy's dtype for it has a null
   * (float NaN, datetime NaT), otherwise a copy whose null slots are valid zeros or empty strings. A
   * refusal names {@code column}.
   */
  static FieldVector storable(FieldVector vector, String column, BufferAllocator allocator) {
    Kind kind = NumpyArrowTypes.dtypeFor(vector, null, column).kind();
    int count = vector.getValueCount();
    if (kind == Kind.FLOAT || kind == Kind.COMPLEX || kind.isTemporal()) {
      TransferPair share = vector.getTransferPair(allocator);
      share.splitAndTransfer(0, count);
      return (FieldVector) share.getTo();
    }
    if (vector instanceof BaseFixedWidthVector fixed && !(vector instanceof BitVector)) {
      return zeroFilled(fixed, allocator);
    }
    // Copied value by value into zeroed buffers, a null slot holds 0 (or no bytes); marking every slot
    // valid then makes it a plain zero or "".
    FieldVector copy = vector.getField().createVector(allocator);
    copy.setInitialCapacity(count);
    copy.allocateNew();
    TransferPair pair = vector.makeTransferPair(copy);
    for (int i = 0; i < count; i++) {
      pair.copyValueSafe(i, i);
    }
    copy.setValueCount(count);
    ArrowBuf validity = copy.getValidityBuffer();
    for (int i = 0; i < count; i++) {
      if (copy instanceof BaseVariableWidthViewVector && vector.isNull(i)) {
        // A view's buffer is not zeroed when allocated, and a null copied leaves its view as it was.
        copy.getDataBuffer().setZero((long) BaseVariableWidthViewVector.ELEMENT_SIZE * i,
            BaseVariableWidthViewVector.ELEMENT_SIZE);
      }
      BitVectorHelper.setBit(validity, i);
    }
    return copy;
  }

  /** A fixed-width column copied buffer to buffer, its null slots zeroed and marked valid. */
  private static FieldVector zeroFilled(BaseFixedWidthVector vector, BufferAllocator allocator) {
    int count = vector.getValueCount();
    int width = vector.getTypeWidth();
    BaseFixedWidthVector copy = (BaseFixedWidthVector) vector.getField().createVector(allocator);
    copy.allocateNew(count);
    long bytes = (long) count * width;
    copy.getDataBuffer().setBytes(0, vector.getDataBuffer(), 0, bytes);
    for (int i = 0; i < count; i++) {
      if (vector.isNull(i)) {
        copy.getDataBuffer().setZero((long) i * width, width);
      }
      BitVectorHelper.setBit(copy.getValidityBuffer(), i);
    }
    copy.setValueCount(count);
    return copy;
  }

  /**
   * Marks as null the rows of {@code vector} that {@code mask} says are null, in the validity bitmap
   * only (a list's offsets stay as stored).
   */
  static void apply(FieldVector vector, FieldVector mask) {
    BitVector bits = (BitVector) mask;
    ArrowBuf validity = vector.getValidityBuffer();
    for (int i = 0; i < bits.getValueCount(); i++) {
      if (bits.get(i) != 0) {
        BitVectorHelper.unsetBit(validity, i);
      }
    }
  }
}
