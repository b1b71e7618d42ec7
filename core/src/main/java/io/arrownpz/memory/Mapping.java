package io.arrownpz.memory;

import java.nio.ByteBuffer;

/**
 * Read-only bytes of a file at a native address, made by a {@link Mapper}: mapped, or copied where the
 * platform cannot map. {@link #release()} gives the memory back; nothing may read it afterwards.
 */
interface Mapping {
  long address();

  long length();

  /** A view of the whole mapping as a buffer, when it has one (channel mappings up to 2 GiB); else null. */
  ByteBuffer buffer();

  void release();
}
