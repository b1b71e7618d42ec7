package io.arrownpz.internal.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.arrownpz.testing.AllocatorExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bitmaps cut from a slab are ranges of their own (writing one leaves every other as it was), start
 * 8-byte aligned, outlive the slab, and are all given back: the extension fails the test on any leak.
 */
class BufferSlabTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @Test
  void bitmapsAreSeparateRangesThatOutliveTheSlab() {
    List<ArrowBuf> bitmaps = new ArrayList<>();
    try (BufferSlab slab = new BufferSlab(memory.allocator())) {
      for (int i = 0; i < 3000; i++) { // several chunks' worth
        long bytes = 1 + i % 61;
        bitmaps.add(i % 2 == 0 ? slab.allValid(bytes) : slab.zeroed(bytes));
      }
      bitmaps.add(slab.allValid(BufferSlab.MAX_BUFFER)); // big enough for an allocation of its own
    }
    ArrowBuf big = bitmaps.get(bitmaps.size() - 1);
    assertNotSame(bitmaps.get(0).getReferenceManager(), big.getReferenceManager());
    for (ArrowBuf b : bitmaps) {
      b.setByte(0, 0x5A); // a vector setting nulls in its own bitmap
    }
    for (int i = 0; i < 3000; i++) {
      ArrowBuf b = bitmaps.get(i);
      assertEquals(0, b.memoryAddress() % 8, "aligned");
      assertEquals(1 + i % 61, b.capacity());
      assertEquals(0x5A, b.getByte(0));
      for (int k = 1; k < b.capacity(); k++) {
        assertEquals(i % 2 == 0 ? (byte) 0xFF : 0, b.getByte(k), "bitmap " + i + " byte " + k);
      }
    }
    bitmaps.forEach(ArrowBuf::close);
  }
}
