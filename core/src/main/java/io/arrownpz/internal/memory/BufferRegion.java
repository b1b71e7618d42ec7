package io.arrownpz.internal.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/** A region over an Arrow buffer we own, such as an archive member inflated into allocator memory. */
public final class BufferRegion implements Region {
  private final ArrowBuf buffer;
  private final long length;

  /**
   * Takes over the caller's reference to {@code buffer}, of which the first {@code length} bytes count
   * (allocators round capacities up).
   */
  public BufferRegion(ArrowBuf buffer, long length) {
    if (length > buffer.capacity()) {
      throw new IllegalArgumentException(length + " bytes asked of a buffer of " + buffer.capacity());
    }
    this.buffer = buffer;
    this.length = length;
  }

  @Override
  public long address() {
    return buffer.memoryAddress();
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public boolean isLive() {
    return buffer.refCnt() > 0;
  }

  @Override
  public Region retain() {
    buffer.getReferenceManager().retain();
    return this;
  }

  @Override
  public void close() {
    buffer.getReferenceManager().release();
  }

  @Override
  public ArrowBuf wrap(BufferAllocator allocator, long offset, long len) {
    check(offset, len);
    if (len == 0) {
      return allocator.getEmpty();
    }
    ArrowBuf slice = buffer.slice(offset, len);
    slice.getReferenceManager().retain();
    return slice;
  }

  @Override
  public ByteBuffer view(long offset, int len) {
    check(offset, len);
    return buffer.nioBuffer(offset, len).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void check(long offset, long len) {
    if (offset < 0 || len < 0 || offset > length - len) {
      throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + len) + ") outside " + length + " bytes");
    }
  }
}
