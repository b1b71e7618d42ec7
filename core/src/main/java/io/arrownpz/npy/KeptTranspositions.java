package io.arrownpz.npy;

import io.arrownpz.internal.memory.MappedRegion;
import io.arrownpz.internal.memory.MemoryFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fortran-order copies of C-order 2-d arrays lately read whole, kept so that reading the same bytes again
 * maps the copy made before rather than transposing again. StaticFrame stores a frame's columns of one
 * dtype as one C-order block; every read of such a frame transposes it, and that was most of opening one
 * again (tall_uniform, an 8 MB block: 0.64-0.88 ms an open, against 0.16-0.22 ms through a kept copy) and
 * of serving it again over Flight.
 *
 * <p>A copy is found by what names its source bytes ({@link io.arrownpz.internal.memory.Region#contentKey}:
 * for an archive member, the mapping kept for that state of the file, and the member's CRC-32), and by the
 * array's shape and dtype. Copies are {@link MemoryFile}s, and each read maps one copy-on-write: the vectors of
 * one read may be written to (as those of a transposed copy always could) without changing what the next
 * read gets. Bounded by bytes and by count (each copy holds a file descriptor): the least recently read go
 * first. Small copies are not kept (a mapping costs more than transposing a few pages), nor copies larger than
 * a quarter of the bound. Thread-safe.
 */
final class KeptTranspositions {
  /** The one every read uses: the transposed blocks of a few frames of some megabytes each. */
  static final KeptTranspositions SHARED = new KeptTranspositions(64L << 20, 64);

  /** Copies smaller than this are made afresh each time. */
  static final long MIN_BYTES = 64L << 10;

  /** What a copy is of: the bytes (as the region names them), and how they are laid out. */
  record Key(Object bytes, NpyDtype dtype, long rows, long cols) {}

  /** Fills a new copy's memory, at an address, with the transposed bytes. */
  @FunctionalInterface
  interface Filler {
    void fill(long address) throws IOException;
  }

  private final long maxBytes;
  private final int maxCopies;
  private final Map<Key, MemoryFile> kept = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  KeptTranspositions(long maxBytes, int maxCopies) {
    this.maxBytes = maxBytes;
    this.maxCopies = maxCopies;
  }

  /** Whether a copy of {@code size} bytes would be kept. */
  boolean keeps(long size) {
    return MemoryFile.AVAILABLE && size >= MIN_BYTES && size <= maxBytes / 4;
  }

  /**
   * The copy kept for {@code key}, mapped for one reader (copy-on-write), or null when none is kept. Mapped
   * under the lock, so that a copy being let go is never mapped after its file is closed.
   */
  synchronized MappedRegion map(Key key, String description) throws IOException {
    MemoryFile copy = kept.get(key);
    return copy == null ? null : copy.mapPrivate(description);
  }

  /**
   * Makes a copy of {@code size} bytes through {@code filler}, keeps it, and maps it for the caller as
   * {@link #map} does. Should another reader have kept one for the same key meanwhile, that one is used.
   */
  MappedRegion make(Key key, long size, String description, Filler filler) throws IOException {
    MemoryFile copy = MemoryFile.create(description, size);
    try {
      try (MappedRegion writable = copy.mapWritable()) {
        filler.fill(writable.address());
      }
    } catch (IOException | RuntimeException e) {
      copy.close();
      throw e;
    }
    List<MemoryFile> dropped = new ArrayList<>();
    try {
      synchronized (this) {
        MemoryFile other = kept.get(key);
        if (other != null) {
          dropped.add(copy);
          return other.mapPrivate(description);
        }
        kept.put(key, copy);
        bytes += size;
        for (Iterator<MemoryFile> it = kept.values().iterator();
            (bytes > maxBytes || kept.size() > maxCopies) && it.hasNext(); ) {
          MemoryFile eldest = it.next();
          if (eldest != copy) {
            bytes -= eldest.length();
            dropped.add(eldest);
            it.remove();
          }
        }
        return copy.mapPrivate(description);
      }
    } finally {
      dropped.forEach(MemoryFile::close); // mappings of them stay until their readers release them
    }
  }

  /** Lets every copy go. */
  void clear() {
    List<MemoryFile> dropped;
    synchronized (this) {
      dropped = new ArrayList<>(kept.values());
      kept.clear();
      bytes = 0;
    }
    dropped.forEach(MemoryFile::close);
  }

  synchronized int size() {
    return kept.size();
  }

  synchronized long bytes() {
    return bytes;
  }
}
