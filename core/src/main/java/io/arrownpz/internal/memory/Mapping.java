package io.arrownpz.internal.memory;

import java.nio.ByteBuffer;

/**
 * Read-only bytes of a file at a native address, made by a {@link Mapper}: mapped, or copied where the
 * platform cannot map. {@link #release()} gives the memory back.
 *
 * @param buffer a view of the whole mapping, when it has one (channel mappings); else null
 * @param releaser retires, unmaps or frees the memory
 * @param lateReadsSafe whether a read of the address after {@link #release()} is harmless (the range stays
 *     readable, see {@link NativeMapper}); if not, nothing may read it afterwards, so the owner must
 *     release it only once no reader can reach it
 * @param pagesDroppable whether resident pages may be handed back to the system at any time: true for a
 *     read-only shared mapping of a file, whose pages are read again from the file when next touched
 */
record Mapping(long address, long length, ByteBuffer buffer, Runnable releaser, boolean lateReadsSafe,
    boolean pagesDroppable) {
  void release() {
    releaser.run();
  }

  /** Hands back the resident pages wholly inside {@code [address + offset, + length)}, where it may. */
  void dropResidentPages(long offset, long bytes) {
    if (pagesDroppable) {
      NativeMapper.dropResidentPages(address + offset, bytes);
    }
  }
}
