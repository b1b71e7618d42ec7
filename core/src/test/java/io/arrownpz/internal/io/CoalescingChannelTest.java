package io.arrownpz.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoalescingChannelTest {
  /** A channel that keeps what it is given and counts the writes; it takes at most 100 bytes a call. */
  private static final class Recorder implements WritableByteChannel {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int writes;
    boolean closed;

    @Override
    public int write(ByteBuffer src) {
      writes++;
      int n = Math.min(100, src.remaining());
      byte[] part = new byte[n];
      src.get(part);
      bytes.write(part, 0, n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return !closed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void everyByteArrivesInOrderInFewerWrites() throws IOException {
    Random random = new Random(7);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    Recorder under = new Recorder();
    int calls = 0;
    try (CoalescingChannel channel = new CoalescingChannel(under, 1000)) {
      for (int i = 0; i < 500; i++) {
        // Mostly small pieces, now and then one larger than the buffer, direct and heap alike.
        int length = i % 50 == 49 ? 1000 + random.nextInt(3000) : random.nextInt(40);
        byte[] piece = new byte[length];
        random.nextBytes(piece);
        expected.write(piece, 0, length);
        ByteBuffer src = i % 2 == 0 ? ByteBuffer.wrap(piece) : ByteBuffer.allocateDirect(length).put(piece).flip();
        assertEquals(length, channel.write(src));
        assertFalse(src.hasRemaining());
        calls++;
      }
    }
    assertArrayEquals(expected.toByteArray(), under.bytes.toByteArray());
    assertTrue(under.closed);
    int direct = expected.size() / 100 + calls; // what the same writes would have cost without gathering
    assertTrue(under.writes < direct / 2, under.writes + " writes for " + calls + " calls");
  }

  @Test
  void refusesWritesOnceClosed() throws IOException {
    Recorder under = new Recorder();
    CoalescingChannel channel = new CoalescingChannel(under, 64);
    channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    channel.close();
    channel.close(); // a second close does nothing
    assertArrayEquals(new byte[] {1, 2, 3}, under.bytes.toByteArray());
    assertFalse(channel.isOpen());
    assertThrows(ClosedChannelException.class, () -> channel.write(ByteBuffer.wrap(new byte[1])));
  }
}
