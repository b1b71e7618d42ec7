package io.arrownpz.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A big block counts against its allocator while a buffer holds it, comes back when the buffer is released
 * and serves the next request of about its size (the same memory), idle blocks stay within their bound, and
 * a request over the allocator's limit is refused with the block kept: the extension fails on any leak.
 */
class RecycledBlocksTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();

  @Test
  void heldBlocksAreAccountedReleasedOnesServeTheNextRead() {
    long bytes = RecycledBlocks.MIN_BYTES + 12_345;
    try (ArrowBuf first = RecycledBlocks.buffer(memory.allocator(), bytes)) {
      assertEquals(bytes, memory.allocator().getAllocatedMemory());
      first.setLong(bytes - 8, 42);
    }
    assertEquals(0, memory.allocator().getAllocatedMemory());
    long idle = RecycledBlocks.idleBytes();
    assertTrue(idle >= bytes, "given back: " + idle);
    try (ArrowBuf again = RecycledBlocks.buffer(memory.allocator(), bytes - 1000)) {
      assertTrue(RecycledBlocks.idleBytes() < idle, "an idle block served it");
      long stillIdle = RecycledBlocks.idleBytes();
      long past = 40L << 20; // bigger than all idle blocks together may be
      try (ArrowBuf other = RecycledBlocks.buffer(memory.allocator(), past)) {
        assertEquals(stillIdle, RecycledBlocks.idleBytes(), "no idle block fits: new memory");
        assertEquals(bytes - 1000 + past, memory.allocator().getAllocatedMemory());
        other.setLong(0, 7);
        again.setLong(0, 8);
        assertEquals(7, other.getLong(0));
        assertEquals(8, again.getLong(0));
      }
    }
  }

  @Test
  void aBlockFreedPastTheBoundReadsZerosNotUnmappedMemory() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(NativeMapper.AVAILABLE, "blocks are mapped where mmap is bound");
    ArrowBuf[] held = new ArrowBuf[(int) (RecycledBlocks.MAX_IDLE_BYTES >> 23) + 2];
    long[] addresses = new long[held.length];
    for (int i = 0; i < held.length; i++) {
      held[i] = RecycledBlocks.buffer(memory.allocator(), 8L << 20);
      held[i].setLong(0, 7);
      addresses[i] = held[i].memoryAddress();
    }
    for (ArrowBuf b : held) {
      b.close(); // 16 MiB more than the bound given back: the eldest are freed
    }
    assertTrue(BackgroundWork.awaitIdle(10_000));
    int zeros = 0;
    for (long address : addresses) { // what a reader racing the close would read: the value, or zero
      long v = org.apache.arrow.memory.util.MemoryUtil.getLong(address);
      assertTrue(v == 7 || v == 0, "read " + v);
      zeros += v == 0 ? 1 : 0;
    }
    assertTrue(zeros >= 2, "blocks freed past the bound read zeros: " + zeros);
  }

  @Test
  void idleBlocksStayWithinTheirBound() {
    long bound = RecycledBlocks.MAX_IDLE_BYTES;
    ArrowBuf[] held = new ArrowBuf[(int) (bound / (12L << 20)) + 2];
    for (int i = 0; i < held.length; i++) {
      held[i] = RecycledBlocks.buffer(memory.allocator(), 12L << 20);
    }
    for (ArrowBuf b : held) {
      b.close();
    }
    assertTrue(RecycledBlocks.idleBytes() <= bound, "idle: " + RecycledBlocks.idleBytes());
    assertTrue(RecycledBlocks.idleBytes() >= bound - (12L << 20), "kept up to the bound: " + RecycledBlocks.idleBytes());
  }

  @Test
  void overTheLimitIsRefusedAndTheBlockKept() {
    try (BufferAllocator small = memory.allocator().newChildAllocator("small", 0, RecycledBlocks.MIN_BYTES)) {
      long idle = RecycledBlocks.idleBytes();
      assertThrows(OutOfMemoryException.class, () -> RecycledBlocks.buffer(small, RecycledBlocks.MIN_BYTES + 1));
      assertTrue(RecycledBlocks.idleBytes() >= idle, "nothing lost");
      assertEquals(0, small.getAllocatedMemory());
    }
  }
}
