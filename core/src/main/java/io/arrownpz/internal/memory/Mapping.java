package io.arrownpz.internal.memory;

import java.nio.ByteBuffer;

/**
 * Read-only bytes of a file at a native address, made by a {@link Mapper}: mapped, or copied where the
 * platform cannot map. {@link #release()} gives the memory back; nothing may read it afterwards.
 *
 * @param buffer a view of the whole mapping, when it has one (channel mappings up to 2 GiB); else null
 * @param releaser unmaps or frees the memory
 */
record Mapping(long address, long length, ByteBuffer buffer, Runnable releaser) {
  void release() {
    releaser.run();
  }
}
