package io.arrownpz.npy;

import io.arrownpz.memory.Region;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One validated NPY array whose bytes lie in native memory: the mapping of a standalone {@code .npy}
 * file or of a STORED archive member, or an inflated member. Holds one reference to the mapping until closed; buffers handed out by
 * {@link #dataBuffer} hold their own.
 */
public final class NpyArray implements AutoCloseable {
  private final String source;
  private final NpyHeader header;
  private final Region region;
  private final long dataStart;
  private boolean closed;

  /**
   * @param source how to name this array in messages: the file, and the member for archives
   * @param region a reference to the mapping that this array takes over (it is closed with the array)
   * @param dataStart offset in {@code region} of the first element
   */
  public NpyArray(String source, NpyHeader header, Region region, long dataStart) {
    this.source = source;
    this.header = header;
    this.region = region;
    this.dataStart = dataStart;
  }

  public String source() {
    return source;
  }

  public NpyHeader header() {
    return header;
  }

  public NpyDtype dtype() {
    return header.dtype();
  }

  /** Address of the first element in the mapping; valid while this array is open. */
  public long dataAddress() {
    return region.address() + dataStart;
  }

  public Region region() {
    return region;
  }

  /** All the array's bytes as an Arrow buffer over the mapping, without a copy. The caller closes it. */
  public ArrowBuf dataBuffer(BufferAllocator allocator) {
    return region.wrap(allocator, dataStart, header.dataBytes());
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      region.close();
    }
  }

  @Override
  public String toString() {
    return source + " " + header;
  }
}
