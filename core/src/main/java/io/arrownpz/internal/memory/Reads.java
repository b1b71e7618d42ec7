package io.arrownpz.internal.memory;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Positional reads of a file that go on until the buffer is full or the file ends; the bytes read. */
@FunctionalInterface
public interface Reads {
  int read(ByteBuffer into, long position) throws IOException;

  /**
   * Reads {@code length} bytes from {@code position} into native memory at {@code address}, a gigabyte at a
   * time; whether the file held them all (false when it ended first).
   */
  default boolean readFully(long position, long length, long address) throws IOException {
    for (long done = 0; done < length; ) {
      int chunk = (int) Math.min(1 << 30, length - done);
      if (read(org.apache.arrow.memory.util.MemoryUtil.directBuffer(address + done, chunk), position + done) < chunk) {
        return false;
      }
      done += chunk;
    }
    return true;
  }
}
