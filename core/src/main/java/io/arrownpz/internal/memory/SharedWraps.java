package io.arrownpz.internal.memory;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A stretch of time in which a {@link MappedRegion} hands out the buffers it wraps for one allocator as
 * slices of a single Arrow buffer over the whole region, rather than as an allocation each.
 *
 * <p>Opening a frame of 10,000 columns wraps 10,000 buffers. Each allocation of its own brings an
 * allocation manager and a ledger, and costs about 0.3 us to make and give back; a slice of one shared
 * buffer costs a tenth of that. The shared buffer is accounted to the allocator once, for the whole region,
 * and holds one reference to the region for as long as any slice of it lives: the mapping stays alive until
 * the last vector over it is closed, as with separate wraps.
 *
 * <p>Closing ends the stretch (later wraps are allocations of their own again); slices already made stay
 * valid. Thread-safe: a wrap racing the close gets either a slice or an allocation of its own.
 */
public final class SharedWraps implements AutoCloseable {
  /** Nothing shared: wraps stay allocations of their own. Closing it does nothing. */
  public static final SharedWraps NONE = new SharedWraps(null, null, null);

  private final MappedRegion region;
  private final BufferAllocator allocator;
  /** Our reference to the shared buffer; slices hold references of their own to its ledger. */
  private final ArrowBuf whole;
  private boolean closed;

  SharedWraps(MappedRegion region, BufferAllocator allocator, ArrowBuf whole) {
    this.region = region;
    this.allocator = allocator;
    this.whole = whole;
  }

  /** A slice {@code [offset, offset + length)} of the region for {@code allocator}, or null when not shared. */
  synchronized ArrowBuf slice(BufferAllocator allocator, long offset, long length) {
    if (closed || allocator != this.allocator) {
      return null;
    }
    ArrowBuf slice = whole.slice(offset, length);
    slice.getReferenceManager().retain();
    return slice;
  }

  @Override
  public void close() {
    if (whole == null) {
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    region.endSharing(this);
    whole.close();
  }
}
