package io.arrownpz.testing;

import io.arrownpz.input.InputFile;
import io.arrownpz.internal.io.PositionalReads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local file read as a file on another file system is: through positional reads only, never mapped
 * (no local path). Counts the bytes it was asked for, so that tests see which ranges a read takes.
 */
public final class RemoteFile implements InputFile {
  private final Path path;
  private final FileChannel channel;
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong reads = new AtomicLong();
  private volatile boolean closed;

  private RemoteFile(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  public static RemoteFile open(Path path) throws IOException {
    return new RemoteFile(path, FileChannel.open(path, StandardOpenOption.READ));
  }

  @Override
  public String name() {
    return "remote:" + path;
  }

  @Override
  public long length() {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public int read(ByteBuffer into, long position) throws IOException {
    int n = PositionalReads.readFully(channel, into, position);
    bytesRead.addAndGet(n);
    reads.incrementAndGet();
    return n;
  }

  /** The bytes read so far. */
  public long bytesRead() {
    return bytesRead.get();
  }

  /** The reads of the file so far (each a round trip on a real remote file system). */
  public long reads() {
    return reads.get();
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    channel.close();
  }
}
