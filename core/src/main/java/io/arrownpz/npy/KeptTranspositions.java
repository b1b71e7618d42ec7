package io.arrownpz.npy;

import io.arrownpz.internal.memory.MappedRegion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Fortran-order copies of C-order 2-d arrays lately read whole, kept so that reading the same bytes again
 * shares the copy made before rather than transposing again. StaticFrame stores a frame's columns of one
 * dtype as one C-order block; every read of such a frame transposes it, and that was most of opening one
 * again (tall_uniform, an 8 MB block: 0.64-0.88 ms an open, against 0.16-0.22 ms through a kept copy) and
 * of serving it again over Flight.
 *
 * <p>A copy is found by what names its source bytes ({@link io.arrownpz.internal.memory.Region#contentKey}:
 * for an archive member, the mapping kept for that state of the file, and the member's CRC-32; for an NPY
 * file, the file's state, status change time included), and by the array's shape and dtype. Copies are
 * memory of their own, read-only once written ({@link MappedRegion#anonymous}, {@link MappedRegion#seal}), shared by every read as a mapped file is: a
 * vector over one is read-only like a vector over a mapping, and cannot change what the next read gets.
 * They count against no allocator while kept, and against the reader's through the vectors made of them.
 * Bounded by bytes and by count: the least recently read go first; small copies are not kept (a few pages
 * cost less to transpose than to keep), nor copies larger than half the bound. The bound in bytes is the
 * process's to set ({@link TransposedCopies#keepUpTo}): a server of big C-order frames
 * keeps their copies, a short command the default 64 MiB. Thread-safe.
 */
final class KeptTranspositions {
  /** The one every read uses: the transposed blocks of a few frames of some megabytes each. */
  static final KeptTranspositions SHARED = new KeptTranspositions(64L << 20, 64);

  /** Copies smaller than this are made afresh each time. */
  static final long MIN_BYTES = 64L << 10;

  /** What a copy is of: the bytes (as the region names them), and how they are laid out. */
  record Key(Object bytes, NpyDtype dtype, long rows, long cols) {}

  /**
   * What one copy of many small arrays is of (the blocks of a frame, each too small to keep alone), and
   * where in it each one's copy starts.
   */
  record Together(List<Key> parts) {}

  /** Fills a new copy's memory, at an address, with the transposed bytes. */
  @FunctionalInterface
  interface Filler {
    void fill(long address) throws IOException;
  }

  private volatile long maxBytes;
  private final int maxCopies;
  private final Map<Object, MappedRegion> kept = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  KeptTranspositions(long maxBytes, int maxCopies) {
    this.maxBytes = maxBytes;
    this.maxCopies = maxCopies;
  }

  /** Whether a copy of {@code size} bytes would be kept (alone, or small copies together). */
  boolean keeps(long size) {
    return size >= MIN_BYTES && size <= maxBytes / 2;
  }

  /** Keeps copies of up to {@code bytes} in all from now on, letting the least recently read go down to it. */
  void bound(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a bound of " + bytes + " bytes");
    }
    List<MappedRegion> dropped = new ArrayList<>();
    synchronized (this) {
      maxBytes = bytes;
      for (Iterator<MappedRegion> it = kept.values().iterator(); this.bytes > maxBytes && it.hasNext(); ) {
        MappedRegion eldest = it.next();
        this.bytes -= eldest.length();
        dropped.add(eldest);
        it.remove();
      }
    }
    dropped.forEach(MappedRegion::close);
  }

  long bound() {
    return maxBytes;
  }

  /** Another reference to the copy kept for {@code key}, or null; the caller closes it. */
  synchronized MappedRegion get(Object key) {
    MappedRegion copy = kept.get(key);
    return copy == null ? null : (MappedRegion) copy.retain();
  }

  /**
   * Makes a copy of {@code size} bytes through {@code filler} and returns a reference for the caller, who
   * closes it; should another reader have kept one for the same key meanwhile, that one. The copy is kept
   * only when {@code stillAsNamed}, asked once it is made, says its source bytes still are what the key
   * names (a file that changed while it was copied leaves a copy for this read alone). Null where this
   * platform has no such memory.
   */
  MappedRegion make(Object key, long size, String description, Filler filler, BooleanSupplier stillAsNamed)
      throws IOException {
    MappedRegion copy = MappedRegion.anonymous(description, size);
    if (copy == null) {
      return null;
    }
    try {
      filler.fill(copy.address());
      copy.seal();
      if (!stillAsNamed.getAsBoolean()) {
        return copy;
      }
    } catch (IOException | RuntimeException e) {
      copy.close();
      throw e;
    }
    List<MappedRegion> dropped = new ArrayList<>();
    try {
      synchronized (this) {
        MappedRegion other = kept.get(key);
        if (other != null) {
          dropped.add(copy);
          return (MappedRegion) other.retain();
        }
        kept.put(key, (MappedRegion) copy.retain());
        bytes += size;
        for (Iterator<MappedRegion> it = kept.values().iterator();
            (bytes > maxBytes || kept.size() > maxCopies) && it.hasNext(); ) {
          MappedRegion eldest = it.next();
          if (eldest != copy) {
            bytes -= eldest.length();
            dropped.add(eldest);
            it.remove();
          }
        }
        return copy;
      }
    } finally {
      dropped.forEach(MappedRegion::close); // outside the lock: a release may retire memory
    }
  }

  /** Lets every copy go (each is released once no vector uses it). */
  void clear() {
    List<MappedRegion> dropped;
    synchronized (this) {
      dropped = new ArrayList<>(kept.values());
      kept.clear();
      bytes = 0;
    }
    dropped.forEach(MappedRegion::close);
  }

  synchronized int size() {
    return kept.size();
  }

  synchronized long bytes() {
    return bytes;
  }
}
