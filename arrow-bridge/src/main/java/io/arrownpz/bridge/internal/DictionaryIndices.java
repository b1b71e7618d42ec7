package io.arrownpz.bridge.internal;

import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
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

  private static void checkRange(BaseIntVector indices, int size) {
    FieldVector vector = (FieldVector) indices;
    int rows = vector.getValueCount();
    for (int i = 0; i < rows; i++) {
      if (vector.isNull(i)) {
        continue;
      }
      long index = unsigned(indices, indices.getValueAsLong(i));
      if (index < 0 || index >= size) {
        throw new IllegalArgumentException("dictionary index " + index + " at row " + i
            + " is outside its dictionary of " + size + " values");
      }
    }
  }

  /** The index as a count: unsigned index types are read as unsigned whatever Arrow Java returns. */
  private static long unsigned(BaseIntVector indices, long value) {
    if (indices instanceof UInt1Vector) {
      return value & 0xFFL;
    }
    if (indices instanceof UInt2Vector) {
      return value & 0xFFFFL;
    }
    if (indices instanceof UInt4Vector) {
      return value & 0xFFFF_FFFFL;
    }
    return value; // a UInt8 index past Long.MAX_VALUE reads as negative: outside any dictionary
  }
}
