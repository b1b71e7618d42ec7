package io.arrownpz.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * Serves small positional reads of a file from one window of it read ahead. Reading the members of an
 * archive of many small ones (a frame of 1,000 columns) one system call each cost more than the page
 * faults it saved; read in order, a window of {@value #WINDOW} bytes serves dozens of them with one call.
 * Reads at least as long as the window go straight to the file, several at once; shorter ones take turns.
 * Safe for several threads.
 */
public final class ReadAhead implements AutoCloseable {
  static final int WINDOW = 256 << 10;

  private final io.arrownpz.input.InputFile file;
  private ByteBuffer window; // null once closed
  private volatile boolean closed;
  private long start = -1;
  private int filled;

  public ReadAhead(io.arrownpz.input.InputFile file) {
    this.file = file;
    this.window = SpareBuffers.take();
  }

  /**
   * Reads into {@code into} from {@code position} of the file until it is full or the file ends; returns
   * the bytes read, fewer than asked only at the end of the file.
   */
  public int read(ByteBuffer into, long position) throws IOException {
    if (into.remaining() >= WINDOW) {
      // Straight to the file, outside the lock: threads reading bands of one block at once do not queue.
      if (closed) {
        throw new ClosedChannelException();
      }
      return file.read(into, position);
    }
    return readThroughWindow(into, position);
  }

  private synchronized int readThroughWindow(ByteBuffer into, long position) throws IOException {
    if (window == null) {
      throw new ClosedChannelException();
    }
    int wanted = into.remaining();
    if (position < start || position + wanted > start + filled) {
      fill(position);
    }
    int from = (int) (position - start);
    int n = Math.max(0, Math.min(wanted, filled - from));
    into.put(into.position(), window, from, n);
    into.position(into.position() + n);
    return n;
  }

  private void fill(long position) throws IOException {
    start = -1; // nothing held should the read fail half way
    filled = 0;
    window.clear().limit(WINDOW);
    filled = file.read(window, position);
    start = position;
  }

  /** Hands the window back for the next reader; later reads throw {@link ClosedChannelException}. */
  @Override
  public synchronized void close() {
    closed = true;
    if (window != null) {
      SpareBuffers.give(window);
      window = null;
    }
  }
}
