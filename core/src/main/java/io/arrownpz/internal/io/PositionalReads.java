package io.arrownpz.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads that go on until the buffer is full or the file ends (one read may return less). */
public final class PositionalReads {
  private PositionalReads() {}

  /** Reads into {@code into} from {@code position} until it is full or the file ends; the bytes read. */
  public static int readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
    int done = 0;
    while (into.hasRemaining()) {
      int n = channel.read(into, position + done);
      if (n < 0) {
        break;
      }
      done += n;
    }
    return done;
  }
}
