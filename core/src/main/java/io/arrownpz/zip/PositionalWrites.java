package io.arrownpz.zip;

import io.arrownpz.internal.io.SpareBuffers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The archive writer's writes at positions in its file, a run of adjacent small ones gathered into one
 * buffer first. An NPZ of 10,000 short columns was three system calls per member (local header, data,
 * CRC patch); a patch that falls inside the gathered run is made in the buffer. Large writes go straight
 * to the file, after what is gathered.
 */
final class PositionalWrites {
  private final FileChannel file;
  private ByteBuffer pending;
  private long pendingStart;

  PositionalWrites(FileChannel file) {
    this.file = file;
    this.pending = SpareBuffers.take();
  }

  /** Writes all of {@code src} at {@code at}. */
  void write(ByteBuffer src, long at) throws IOException {
    int n = src.remaining();
    boolean adjacent = pending.position() == 0 || at == pendingStart + pending.position();
    if (!adjacent || n > pending.remaining()) {
      flush();
    }
    if (n >= pending.capacity()) {
      writeThrough(src, at);
      return;
    }
    if (pending.position() == 0) {
      pendingStart = at;
    }
    pending.put(src);
  }

  /** Overwrites bytes written before (a field known only once a member is written). */
  void patch(ByteBuffer src, long at) throws IOException {
    int n = src.remaining();
    long pendingEnd = pendingStart + pending.position();
    if (at >= pendingStart && at + n <= pendingEnd) {
      pending.put((int) (at - pendingStart), src, src.position(), n);
      src.position(src.limit());
      return;
    }
    if (at < pendingEnd && at + n > pendingStart) {
      flush(); // partly gathered, partly written: write the run first, then patch the file
    }
    writeThrough(src, at);
  }

  /** Writes what is gathered. */
  void flush() throws IOException {
    pending.flip();
    writeThrough(pending, pendingStart);
    pending.clear();
  }

  private void writeThrough(ByteBuffer src, long at) throws IOException {
    long p = at;
    while (src.hasRemaining()) {
      p += file.write(src, p);
    }
  }

  /** Gives the buffer back; nothing may be written afterwards. Whatever was not flushed is dropped. */
  void release() {
    if (pending != null) {
      SpareBuffers.give(pending);
      pending = null;
    }
  }
}
