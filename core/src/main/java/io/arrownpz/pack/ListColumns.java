package io.arrownpz.pack;

import io.arrownpz.internal.arrow.ListVectors;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;

/** Pack's list columns: gathered values under offsets computed as an int array. */
final class ListColumns {
  private ListColumns() {}

  /** A list column whose values become {@code values}' buffers (moved, not copied). */
  static FieldVector of(String name, FieldVector values, int[] offsets, int groups, BufferAllocator allocator) {
    try (ArrowBuf offsetBuffer = allocator.buffer(4L * (groups + 1))) {
      for (int g = 0; g <= groups; g++) {
        offsetBuffer.setInt(4L * g, offsets[g]);
      }
      return ListVectors.of(name, false, values, offsetBuffer, groups, allocator);
    }
  }
}
