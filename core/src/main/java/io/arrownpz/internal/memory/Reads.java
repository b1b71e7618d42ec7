package io.arrownpz.internal.memory;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Positional reads of a file that go on until the buffer is full or the file ends; the bytes read. */
@FunctionalInterface
public interface Reads {
  int read(ByteBuffer into, long position) throws IOException;
}
