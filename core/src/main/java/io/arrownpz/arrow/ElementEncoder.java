package io.arrownpz.arrow;

import java.nio.ByteBuffer;
import org.apache.arrow.memory.util.MemoryUtil;

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

  /**
   * The bytes at {@link #contiguousAddress()} as one buffer view, or null when there are none or more than
   * one view holds (2 GiB; bigger columns take the chunked path). A view costs a reflective call: callers
   * that copy many small columns use the address.
   */
  default ByteBuffer contiguous() {
    long address = contiguousAddress();
    long bytes = count() * itemSize();
    return address != 0 && bytes <= Integer.MAX_VALUE ? MemoryUtil.directBuffer(address, (int) bytes) : null;
  }
}
