package io.arrownpz.internal.io;

import io.arrownpz.input.InputFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * Reads of a file on another file system, where every read is a round trip (about 0.75 ms to a local
 * HDFS data node, whatever its size up to hundreds of KiB). A read that starts at or just past where the
 * last one ended continues a run, and a run is read ahead by as many bytes as it has read so far (up to
 * {@value #MAX_WINDOW} bytes): reading a frame member after member takes a few large reads, not two per
 * member. A read anywhere else reads exactly its range and starts a new run, so a query of one column
 * reads that column's bytes and no others. Safe for several threads (they take turns).
 */
public final class SequentialReadAhead implements AutoCloseable {
  /** A read starting at most this far past the last one's end continues its run (a member's local header). */
  static final int RUN_GAP = 64 << 10;
  static final int MAX_WINDOW = 8 << 20;

  private final InputFile file;
  private byte[] window = new byte[0];
  private long start = -1;
  private int filled;
  private long lastEnd = -1;
  private long runBytes;
  private boolean closed;

  public SequentialReadAhead(InputFile file) {
    this.file = file;
  }

  /** Reads into {@code into} from {@code position} until it is full or the file ends; the bytes read. */
  public synchronized int read(ByteBuffer into, long position) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    int wanted = into.remaining();
    boolean continues = lastEnd >= 0 && position >= lastEnd && position - lastEnd <= RUN_GAP;
    runBytes = continues ? runBytes + wanted : wanted;
    lastEnd = position + wanted;
    if (start >= 0 && position >= start && position + wanted <= start + filled) {
      into.put(into.position(), window, (int) (position - start), wanted);
      into.position(into.position() + wanted);
      return wanted;
    }
    long ahead = continues ? Math.min(Math.max(wanted, runBytes), MAX_WINDOW) : 0;
    if (ahead <= wanted) {
      return file.read(into, position); // exactly the range: a new run, or one read past the window's size
    }
    if (window.length < ahead) {
      window = new byte[(int) ahead];
    }
    start = -1; // nothing held should the read fail half way
    filled = file.read(ByteBuffer.wrap(window, 0, (int) ahead), position);
    start = position;
    int n = Math.min(wanted, filled);
    into.put(into.position(), window, 0, n);
    into.position(into.position() + n);
    return n;
  }

  @Override
  public synchronized void close() {
    closed = true;
    window = new byte[0];
  }
}
