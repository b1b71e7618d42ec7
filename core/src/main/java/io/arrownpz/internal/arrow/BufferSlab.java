package io.arrownpz.internal.arrow;

import io.arrownpz.internal.memory.RecycledBlocks;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Small buffers for many vectors read together (the columns of a wide frame), cut one after another from
 * shared allocations instead of allocated one by one: at 10,000 columns of 100 rows, an allocation and a
 * release per buffer were a fifth of opening the frame. They are bitmaps and the transposed copies of
 * small C-order blocks (big ones come from {@link RecycledBlocks}). Each buffer is a range of its own, so
 * a vector that later sets a null changes only its own bits; an allocation is given back when the last
 * vector holding a part of it is closed, so a vector kept alone keeps at most {@link #MAX_CHUNK} bytes
 * alive with it.
 *
 * <p>One thread at a time. The slab keeps a reference to the chunk it is cutting from; {@link #close()}
 * gives that up (the buffers handed out stay valid).
 */
public final class BufferSlab implements AutoCloseable {
  /** Buffers at least this big get an allocation of their own: a full-size chunk holds at least eight. */
  public static final long MAX_BUFFER = 8 * 1024;
  /** Chunks start small (a read of a few columns takes little) and double up to this size. */
  private static final long MAX_CHUNK = 64 * 1024;
  private static final long FIRST_CHUNK = 1024;

  private final BufferAllocator allocator;
  private ArrowBuf chunk;
  private long used;
  private long nextChunk = FIRST_CHUNK;

  public BufferSlab(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /** A bitmap of {@code bytes} bytes with every bit set. The caller closes its reference. */
  public ArrowBuf allValid(long bytes) {
    ArrowBuf bitmap = buffer(bytes);
    bitmap.setOne(0, bytes);
    return bitmap;
  }

  /** A bitmap of {@code bytes} bytes with no bit set. The caller closes its reference. */
  public ArrowBuf zeroed(long bytes) {
    ArrowBuf bitmap = buffer(bytes);
    bitmap.setZero(0, bytes);
    return bitmap;
  }

  /**
   * A buffer of {@code bytes} bytes whose content is left as it is (the caller fills all of it), 8-byte
   * aligned as Arrow lays buffers out. The caller closes its reference.
   */
  public ArrowBuf buffer(long bytes) {
    if (bytes >= RecycledBlocks.MIN_BYTES) {
      return RecycledBlocks.buffer(allocator, bytes); // past the allocator's pool: a block kept from earlier reads
    }
    if (bytes <= 0 || bytes >= MAX_BUFFER) {
      return allocator.buffer(Math.max(bytes, 0));
    }
    long span = (bytes + 7) & ~7L;
    if (chunk == null || used + span > chunk.capacity()) {
      close();
      long size = Math.max(nextChunk, span);
      chunk = allocator.buffer(size);
      used = 0;
      nextChunk = Math.min(MAX_CHUNK, 2 * size);
    }
    ArrowBuf part = chunk.slice(used, bytes);
    part.getReferenceManager().retain(); // the slice shares the chunk's count: one more holder
    used += span;
    return part;
  }

  @Override
  public void close() {
    if (chunk != null) {
      chunk.close();
      chunk = null;
    }
  }
}
