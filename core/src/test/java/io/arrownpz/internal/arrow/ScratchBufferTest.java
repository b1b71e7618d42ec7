package io.arrownpz.internal.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.arrownpz.testing.AllocatorExtension;
import org.apache.arrow.memory.ArrowBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The scratch buffer is one allocation reused while requests fit (grown when they do not), hands out
 * exactly the size asked for, gives requests past its limit memory of their own, and leaves nothing
 * allocated once every reference and the scratch itself are closed (the extension fails the test on a leak).
 */
class ScratchBufferTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @Test
  void reusedWhileRequestsFitGrownWhenNotAndBigOnesApart() {
    try (ScratchBuffer scratch = new ScratchBuffer(memory.allocator())) {
      ArrowBuf a = scratch.take(100);
      a.setByte(99, 7);
      a.close();
      ArrowBuf b = scratch.take(4000);
      assertEquals(4000, b.capacity());
      try (ArrowBuf again = scratch.take(1)) {
        assertSame(rootOf(b), rootOf(again), "fits: the same allocation");
      }
      b.close();
      assertEquals(4096, memory.allocator().getAllocatedMemory(), "one allocation kept");
      try (ArrowBuf grown = scratch.take(10_000)) {
        assertEquals(10_000, grown.capacity());
        assertEquals(16_384, memory.allocator().getAllocatedMemory(), "grown to a power of two, the old one given back");
      }
      try (ArrowBuf big = scratch.take(ScratchBuffer.MAX_KEPT + 1); ArrowBuf small = scratch.take(8)) {
        assertNotSame(rootOf(big), rootOf(small));
        assertTrue(big.capacity() >= ScratchBuffer.MAX_KEPT + 1, "its own allocation, whole");
      }
    }
    assertEquals(0, memory.allocator().getAllocatedMemory());
  }

  private static Object rootOf(ArrowBuf buf) {
    return buf.getReferenceManager();
  }
}
