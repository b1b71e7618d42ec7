package io.arrownpz.arrow;

import java.nio.ByteBuffer;

/**
 * Produces the NumPy bytes of one element at a time from an Arrow vector, into a buffer already set to
 * the target byte order. Random access, so that Fortran-order output can visit elements in any order;
 * primitive reads only, never a boxed value.
 */
interface ElementEncoder {
  /** Number of elements. */
  long count();

  /** Bytes of one element in the output. */
  int itemSize();

  /** Writes element {@code index} at the buffer's position. */
  void put(long index, ByteBuffer out);

  /**
   * All elements' output bytes as they already lie in Arrow memory, when no conversion is needed; null
   * otherwise. Lets plain little-endian columns go to disk straight from their buffers.
   */
  default ByteBuffer contiguous() {
    return null;
  }

  /**
   * Where {@link #contiguous()}'s bytes lie ({@code count() * itemSize()} of them), or 0 when it has
   * none: the same bytes without making a buffer view, which costs a reflective call each.
   */
  default long contiguousAddress() {
    return 0;
  }
}
