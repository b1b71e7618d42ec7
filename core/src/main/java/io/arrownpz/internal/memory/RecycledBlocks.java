package io.arrownpz.internal.memory;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Native blocks for the copies a read makes and hands out in vectors (a frame's transposed C-order
 * block, a file read into memory rather than mapped), taken back when the last vector over one is closed
 * and kept for the next read. Netty's pool
 * serves an allocation over its 4 MiB chunk with fresh memory, and gives a chunk back to the system as
 * soon as it is empty again once a quarter of it was used: a read whose copies take a few megabytes made a
 * new chunk every time, zeroed and faulted in page by page (a third of opening a frame of one 8 MB block;
 * a tenth of serving a 1,000-column frame over Flight, its 3 MB blocks). A block used again costs neither.
 *
 * <p>The allocator a buffer is made for accounts its bytes while it is held, as for any other; idle blocks
 * count against no allocator, at most {@link #MAX_IDLE_BYTES} bytes of them, and past that they are freed.
 * Where the platform maps through {@link NativeMapper}, a block is anonymous mapped memory, and freeing it
 * retires it as a file's mapping is: a reader racing the close of a table over a block freed past the bound
 * reads zeros, never unmapped memory. Thread-safe.
 */
public final class RecycledBlocks {
  /**
   * Smaller copies come from the allocator. From here up, a read's copies (a column of a few thousand rows
   * transposed, a file read whole to be converted) add up to more than Netty keeps once the read is over.
   */
  public static final long MIN_BYTES = 64L << 10;
  /**
   * Idle bytes kept at most (128 MiB, or the system property {@code arrownpz.recycledBlocks.maxIdleBytes});
   * a block released past it is freed at once, so a copy larger than this is better made where late reads
   * stay safe ({@link MappedRegion#anonymous}). Reads of frames of different shapes take blocks of several
   * sizes (a transposed block, a file read into memory, a hundred columns' files); a bound under what they
   * take together frees blocks that the next read makes afresh, faulted in page by page (on a virtual
   * machine whose host takes freed memory back, about 10 ms a megabyte).
   */
  public static final long MAX_IDLE_BYTES = Long.getLong("arrownpz.recycledBlocks.maxIdleBytes", 128L << 20);
  /** Blocks are sized in these steps: small ones finely, so that a pool of them wastes little. */
  private static final long SMALL_GRAIN = 64L << 10;
  private static final long GRAIN = 1L << 20;

  private static final List<Block> IDLE = new ArrayList<>();
  private static long idleBytes;

  private RecycledBlocks() {}

  /** A buffer of {@code bytes} bytes (content left as it is) for {@code allocator}; the caller closes it. */
  public static ArrowBuf buffer(BufferAllocator allocator, long bytes) {
    Block block = takeOrMake(bytes);
    try {
      return allocator.wrapForeignAllocation(new Lent(block, bytes));
    } catch (RuntimeException e) { // over the allocator's limit: the block goes back
      give(block);
      throw e;
    }
  }

  /**
   * A block of at least {@code bytes} bytes owned by no allocator, as a {@link Mapping} whose release gives
   * it back: for a file read whole into memory ({@link MappedRegion#load}). Late reads of a released block
   * are safe where blocks are anonymous mappings (they read what the block holds then, or zeros once it is
   * freed past the bound).
   */
  static Mapping mapping(long bytes) {
    Block block = takeOrMake(bytes);
    return new Mapping(block.address, bytes, null, () -> give(block), NativeMapper.AVAILABLE, false);
  }

  /** An idle block that fits {@code bytes}, or a new one sized up to the next grain. */
  private static Block takeOrMake(long bytes) {
    Block idle = take(bytes);
    if (idle != null) {
      return idle;
    }
    long grain = bytes < GRAIN ? SMALL_GRAIN : GRAIN;
    return newBlock((bytes + grain - 1) / grain * grain);
  }

  private static Block newBlock(long capacity) {
    if (NativeMapper.AVAILABLE) {
      try {
        Mapping mapped = NativeMapper.anonymous(capacity);
        return new Block(mapped.address(), capacity, mapped::release);
      } catch (java.io.IOException e) {
        // out of address space for a mapping: native memory of the allocator's kind instead
      }
    }
    long address = MemoryUtil.allocateMemory(capacity);
    return new Block(address, capacity, () -> MemoryUtil.freeMemory(address));
  }

  /** The smallest idle block that holds {@code bytes} without wasting more than it uses, or null. */
  private static synchronized Block take(long bytes) {
    Block best = null;
    for (Block b : IDLE) {
      if (b.capacity >= bytes && b.capacity <= 2 * bytes && (best == null || b.capacity < best.capacity)) {
        best = b;
      }
    }
    if (best != null) {
      IDLE.remove(best);
      idleBytes -= best.capacity;
    }
    return best;
  }

  private static void give(Block block) {
    List<Block> freed = new ArrayList<>();
    synchronized (RecycledBlocks.class) {
      IDLE.add(block);
      idleBytes += block.capacity;
      while (idleBytes > MAX_IDLE_BYTES && !IDLE.isEmpty()) {
        Block eldest = IDLE.remove(0);
        idleBytes -= eldest.capacity;
        freed.add(eldest);
      }
    }
    freed.forEach(b -> b.free.run());
  }

  /** Bytes kept idle now (for tests). */
  static synchronized long idleBytes() {
    return idleBytes;
  }

  /** @param free gives the memory back: unmapped (late reads see zeros) or freed */
  private record Block(long address, long capacity, Runnable free) {}

  /** A block lent to one Arrow buffer: releasing the buffer gives the block back. */
  private static final class Lent extends ForeignAllocation {
    private final Block block;

    Lent(Block block, long bytes) {
      super(bytes, block.address);
      this.block = block;
    }

    @Override
    protected void release0() {
      give(block);
    }
  }
}
