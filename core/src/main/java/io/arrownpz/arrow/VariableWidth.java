package io.arrownpz.arrow;

import io.arrownpz.internal.arrow.VectorLoading;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;

/** Offsets and loading for the variable-width vectors (Utf8, Binary and their Large forms) we build. */
final class VariableWidth {
  private VariableWidth() {}

  /** Writes offset {@code index}: int32 for the plain types, int64 for the Large ones. */
  static void putOffset(long base, int index, long value, boolean large) {
    if (large) {
      MemoryUtil.putLong(base + 8L * index, value);
    } else {
      MemoryUtil.putInt(base + 4L * index, (int) value);
    }
  }

  /** Loads a vector without nulls from its offsets and data; the vector takes its own references. */
  static void load(FieldVector target, int count, ArrowBuf offsets, ArrowBuf data) {
    List<ArrowBuf> buffers = new ArrayList<>(3);
    buffers.add(null);
    buffers.add(offsets);
    buffers.add(data);
    VectorLoading.load(target, count, 0, buffers);
  }
}
