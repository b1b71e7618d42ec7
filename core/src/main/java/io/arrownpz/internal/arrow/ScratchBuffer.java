package io.arrownpz.internal.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One buffer reused for bytes that are read only to be converted and then dropped (bools packed to bits,
 * strings decoded): in a wide frame a third of the columns are bools, and an allocation and a release for
 * each one's hundred bytes cost more than packing them. Requests over {@link #MAX_KEPT} bytes get an
 * allocation of their own, so the buffer kept stays small.
 *
 * <p>One thread at a time, and one use at a time: a buffer handed out is valid until the next
 * {@link #take}. {@link #close()} gives the kept buffer back.
 */
public final class ScratchBuffer implements AutoCloseable {
  public static final long MAX_KEPT = 1 << 20;
  private static final long FIRST_SIZE = 4096;

  private final BufferAllocator allocator;
  private ArrowBuf kept;

  public ScratchBuffer(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /**
   * A buffer of {@code bytes} bytes, content left as it is, valid until the next call. The caller closes its
   * reference when done with it.
   */
  public ArrowBuf take(long bytes) {
    if (bytes > MAX_KEPT) {
      return allocator.buffer(bytes);
    }
    if (kept == null || kept.capacity() < bytes) {
      close();
      kept = allocator.buffer(Math.max(FIRST_SIZE, Long.highestOneBit(Math.max(bytes, 1) * 2 - 1)));
    }
    ArrowBuf part = kept.slice(0, bytes);
    part.getReferenceManager().retain(); // the slice shares the kept buffer's count: one more holder
    return part;
  }

  @Override
  public void close() {
    if (kept != null) {
      kept.close();
      kept = null;
    }
  }
}
