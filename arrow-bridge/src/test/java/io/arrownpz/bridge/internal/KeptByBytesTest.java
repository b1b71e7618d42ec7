package io.arrownpz.bridge.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What is kept is bounded by count and by heap, values weighed as their owner says, least recently used first out. */
class KeptByBytesTest {
  private static ByteBuffer key(int i) {
    return ByteBuffer.wrap(("key " + i).getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void valuesWeighAsTheirOwnerSays() {
    KeptByBytes<String> kept = new KeptByBytes<>(100, 1_000, value -> value.length());
    for (int i = 0; i < 10; i++) {
      String value = "v".repeat(200) + i;
      assertSame(value, kept.keep(key(i), value));
    }
    assertEquals(4, kept.size(), "1,000 bytes hold four values of 206 bytes with their keys, not ten");
    assertNull(kept.get(key(0)), "the least recently used went first");
    assertEquals("v".repeat(200) + 9, kept.get(key(9)));
    String heavy = "w".repeat(300);
    kept.keep(key(99), heavy);
    assertNull(kept.get(key(99)), "an entry over a quarter of the bound is not kept");
  }

  @Test
  void theCountBoundsToo() {
    KeptByBytes<String> kept = new KeptByBytes<>(2, 1 << 20, value -> 0);
    for (int i = 0; i < 5; i++) {
      kept.keep(key(i), "value " + i);
    }
    assertEquals(2, kept.size());
    assertSame(kept.keep(key(4), "another"), kept.get(key(4)), "the value kept first is the one every reader gets");
  }
}
