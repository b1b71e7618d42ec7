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

  /** A little-endian view for parsing, valid while a reference is held. */
  ByteBuffer view(long offset, int length);
}
