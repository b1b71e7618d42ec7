package io.arrownpz.bridge.internal;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;

/**
 * Checks that a batch's dictionary indices point into their dictionaries. Arrow's loaders do not: a file
 * or an upload whose indices run past the dictionary would be copied into Feather as it is (readers then
 * refuse it or read beyond the values) and fail later, unnamed, in a decoder or a Parquet writer.
 */
final class DictionaryIndices {
  private DictionaryIndices() {}

  /** Checks {@code vector} and every vector inside it that is dictionary-encoded. */
  static void check(FieldVector vector, DictionaryProvider dictionaries) {
    DictionaryEncoding encoding = vector.getField().getDictionary();
    if (encoding != null) {
      Dictionary dictionary = dictionaries == null ? null : dictionaries.lookup(encoding.getId());
      if (dictionary == null) {
        throw new IllegalArgumentException("dictionary " + encoding.getId() + " was never sent");
      }
      checkRange((BaseIntVector) vector, dictionary.getVector().getValueCount());
    }
    for (FieldVector child : vector.getChildrenFromFields()) {
      check(child, dictionaries);
    }
  }

  /**
   * Reads the index buffer itself, not each row through the vector's accessors: those are a virtual call
   * and a bounds check a row, and this check runs on every batch of every dictionary column read (JFR: nine
   * tenths of a dictionary upload's server time went there).
   */
  private static void checkRange(BaseIntVector indices, int size) {
    FieldVector vector = (FieldVector) indices;
    int rows = vector.getValueCount();
    ArrowType.Int type = (ArrowType.Int) vector.getField().getType();
    int width = type.getBitWidth() / 8;
    boolean signed = type.getIsSigned();
    ArrowBuf data = vector.getDataBuffer();
    ArrowBuf validity = vector.getValidityBuffer();
    boolean nulls = vector.getNullCount() > 0;
    for (int i = 0; i < rows; i++) {
      if (nulls && BitVectorHelper.get(validity, i) == 0) {
        continue; // a null's slot may hold anything
      }
      long index = indexAt(data, width, signed, i);
      if (index < 0 || index >= size) {
        throw new IllegalArgumentException("dictionary index " + index + " at row " + i
            + " is outside its dictionary of " + size + " values");
      }
    }
  }

  /** Index {@code i} as a count; unsigned widths read as unsigned (a uint64 past Long.MAX_VALUE is negative). */
  private static long indexAt(ArrowBuf data, int width, boolean signed, int i) {
    return switch (width) {
      case 1 -> signed ? data.getByte(i) : data.getByte(i) & 0xFFL;
      case 2 -> signed ? data.getShort(2L * i) : data.getShort(2L * i) & 0xFFFFL;
      case 4 -> signed ? data.getInt(4L * i) : data.getInt(4L * i) & 0xFFFF_FFFFL;
      default -> data.getLong(8L * i);
    };
  }
}
