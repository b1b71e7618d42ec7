package io.arrownpz.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;

/**
 * Gathers small writes into one buffer before they reach the channel under it. Arrow's IPC writer hands
 * over every buffer of a batch (and its padding) as a write of its own: a table of 10,000 short columns
 * was 45,000 system calls, which took longer than compressing it. Writes at least as large as the buffer
 * go straight through, after what is gathered; {@link #close()} writes the rest, then closes the channel.
 */
public final class CoalescingChannel implements WritableByteChannel {
  private final WritableByteChannel out;
  private final ByteBuffer pending;
  private boolean open = true;

  public CoalescingChannel(WritableByteChannel out) {
    this.out = out;
    this.pending = SpareBuffers.take();
  }

  /** With a buffer of its own of {@code capacity} bytes (for tests). */
  CoalescingChannel(WritableByteChannel out, int capacity) {
    this.out = out;
    this.pending = ByteBuffer.allocateDirect(capacity);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (!open) {
      throw new ClosedChannelException();
    }
    int length = src.remaining();
    if (length > pending.remaining()) {
      drain();
    }
    if (length >= pending.capacity()) {
      while (src.hasRemaining()) {
        out.write(src);
      }
    } else {
      pending.put(src);
    }
    return length;
  }

  /** Writes what has been gathered. */
  private void drain() throws IOException {
    pending.flip();
    while (pending.hasRemaining()) {
      out.write(pending);
    }
    pending.clear();
  }

  @Override
  public boolean isOpen() {
    return open && out.isOpen();
  }

  @Override
  public void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    try (WritableByteChannel closing = out) {
      drain();
    } finally {
      SpareBuffers.give(pending);
    }
  }
}
