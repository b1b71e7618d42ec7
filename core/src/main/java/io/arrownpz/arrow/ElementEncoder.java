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
   * Where all elements' output bytes already lie in Arrow memory ({@code count() * itemSize()} of them), when
   * no conversion is needed; 0 otherwise. Lets plain little-endian columns go to disk straight from their
   * buffers.
   */
  default long contiguousAddress() {
    return 0;
  }
}
