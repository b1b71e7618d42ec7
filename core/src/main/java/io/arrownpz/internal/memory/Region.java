package io.arrownpz.internal.memory;

import java.nio.ByteBuffer;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Native memory that arrays are read from and that Arrow buffers may point into: a file mapping, or a
 * buffer of inflated archive data. Reference counted; whoever holds a reference calls {@link #close()}
 * once, and buffers made by {@link #wrap} hold references of their own.
 */
public interface Region extends AutoCloseable {
  long address();

  long length();

  boolean isLive();

  /** Takes one more reference; pair it with {@link #close()}. */
  Region retain();

  /** Gives up one reference. */
  @Override
  void close();

  /** An Arrow buffer over part of the region, without copying, keeping the region alive until released. */
  ArrowBuf wrap(BufferAllocator allocator, long offset, long length);

  /**
   * Makes the buffers {@link #wrap} gives {@code allocator} slices of one, until the result is closed, where
   * the region can (a file mapping: {@link SharedWraps}); elsewhere nothing changes.
   */
  default SharedWraps shareWraps(BufferAllocator allocator) {
    return SharedWraps.NONE;
  }

  /**
   * A copy of part of the region in a buffer from {@code memory} (bytes to a buffer the caller owns), for
   * data that is converted rather than shared (bools packed, strings decoded), read as {@link #read} reads.
   */
  default ArrowBuf copy(java.util.function.LongFunction<ArrowBuf> memory, long offset, long length)
      throws java.io.IOException {
    ArrowBuf out = memory.apply(Math.max(length, 1));
    try {
      read(offset, length, out.memoryAddress());
      return out;
    } catch (java.io.IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /**
   * Copies {@code length} bytes from {@code offset} to native memory at {@code address}. A file-backed
   * region may read them from its file instead of through the mapping ({@link #prefersReads}).
   */
  default void read(long offset, long length, long address) throws java.io.IOException {
    org.apache.arrow.memory.util.MemoryUtil.copyMemory(address() + offset, address, length);
  }

  /**
   * Whether {@link #read} reads the file rather than the mapping: then bytes used once are cheaper read
   * than touched in place (a first touch of a mapped page costs a fault that a read does not).
   */
  default boolean prefersReads() {
    return false;
  }

  /** A little-endian view for parsing, valid while a reference is held. */
  ByteBuffer view(long offset, int length);
}
