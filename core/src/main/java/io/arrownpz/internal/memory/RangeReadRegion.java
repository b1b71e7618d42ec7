package io.arrownpz.internal.memory;

import io.arrownpz.BadFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A part of a file on another file system (an archive member) whose bytes are read from the file in the
 * ranges readers use: a buffer a reader wraps is that range read into the reader's allocator, and bytes it
 * converts are read straight into their destination. So a window of rows reads those rows, and the first
 * row of a frame's block (all its outline needs) reads that row, not the block. Only a reader that wants the
 * address of the whole part (a conversion in place) has it all read, once, into native memory of its own.
 * Its reads go through the archive's, which serve neighbouring small ranges from one read ahead (a read of
 * a remote file costs a round trip); the archive must stay open while the region is read.
 *
 * <p>A local member read into memory rather than mapped ({@link #loadedWhole}) is the same, except that a
 * buffer a reader wraps is a view of the whole part, loaded once into a recycled block: its columns are
 * views of that copy, and only a conversion (a C-order block transposed a band of rows at a time) reads
 * ranges.
 */
public final class RangeReadRegion implements Region {
  private final Reads reads;
  private final String file;
  private final long offset;
  private final long length;
  private final String member;
  /** The part's first bytes, read already (with its archive's local header), or null. */
  private final ByteBuffer first;
  private final AtomicInteger references = new AtomicInteger(1);
  /** Whether a wrapped buffer is a view of the whole part (loaded into a recycled block) or its range read. */
  private final boolean wrapsWhole;
  /** The whole part, once a reader asked for its address; null until then. */
  private volatile MappedRegion whole;

  /**
   * Bytes {@code [offset, offset + length)} of the file that {@code reads} reads, named {@code file}; {@code
   * first}, if not null, holds the first of them, read already.
   */
  public RangeReadRegion(Reads reads, String file, long offset, long length, String member, ByteBuffer first) {
    this(reads, file, offset, length, member, first, false);
  }

  /**
   * Bytes {@code [offset, offset + length)} of a local file that {@code reads} reads, named {@code file}, read
   * into memory as readers ask for them: whole ({@link MappedRegion#load}) for a buffer or an address, in
   * ranges for a conversion.
   */
  public static RangeReadRegion loadedWhole(Reads reads, String file, long offset, long length, String member) {
    return new RangeReadRegion(reads, file, offset, length, member, null, true);
  }

  private RangeReadRegion(Reads reads, String file, long offset, long length, String member, ByteBuffer first,
      boolean wrapsWhole) {
    this.wrapsWhole = wrapsWhole;
    this.first = first == null ? null : first.duplicate();
    this.reads = reads;
    this.file = file;
    this.offset = offset;
    this.length = length;
    this.member = member;
  }

  private MappedRegion whole() {
    MappedRegion read = whole;
    if (read != null) {
      return read;
    }
    synchronized (this) {
      if (whole == null) {
        requireLive();
        try {
          whole = wrapsWhole ? MappedRegion.load(reads, file, offset, length, member)
              : MappedRegion.read(reads, file, offset, length, member);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return whole;
    }
  }

  private void requireLive() {
    if (references.get() <= 0) {
      throw new IllegalStateException(file + ": " + member + ": read after close");
    }
  }

  @Override
  public long address() {
    return whole().address();
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public boolean isLive() {
    return references.get() > 0;
  }

  @Override
  public Region retain() {
    if (references.getAndIncrement() <= 0) {
      references.getAndDecrement();
      throw new IllegalStateException(file + ": " + member + ": retained after close");
    }
    return this;
  }

  @Override
  public void close() {
    if (references.decrementAndGet() == 0) {
      synchronized (this) {
        if (whole != null) {
          whole.close(); // buffers wrapped from it hold references of their own
        }
      }
    }
  }

  /** The range read into {@code allocator}'s memory (or a view, once the whole part was read). */
  @Override
  public ArrowBuf wrap(BufferAllocator allocator, long at, long len) {
    MappedRegion read = wrapsWhole ? whole() : whole;
    if (read != null) {
      return read.wrap(allocator, at, len);
    }
    requireLive();
    ArrowBuf buffer = allocator.buffer(Math.max(len, 1));
    try {
      read(at, len, buffer.memoryAddress());
      buffer.writerIndex(len);
      return buffer;
    } catch (IOException e) {
      buffer.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      buffer.close();
      throw e;
    }
  }

  @Override
  public boolean prefersReads() {
    return whole == null;
  }

  @Override
  public void read(long at, long len, long address) throws IOException {
    if (at < 0 || len < 0 || at > length - len) {
      throw new IndexOutOfBoundsException("range [" + at + ", " + (at + len) + ") outside " + length + " bytes");
    }
    MappedRegion read = whole;
    if (read != null) {
      read.read(at, len, address);
      return;
    }
    if (first != null && at + len <= first.remaining()) {
      org.apache.arrow.memory.util.MemoryUtil.directBuffer(address, (int) len)
          .put(0, first, first.position() + (int) at, (int) len);
      return;
    }
    if (!reads.readFully(offset + at, len, address)) {
      throw new BadFileException(file, member, "ends before byte " + (offset + at + len));
    }
  }

  @Override
  public ByteBuffer view(long at, int len) {
    return whole().view(at, len);
  }
}
