package io.arrownpz.internal.memory;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mappings of files opened lately (archives, Feather and Arrow IPC files), kept between opens of the
 * same file, so that reading it again does not fault its pages in again. On this kind of machine the first touch of a freshly mapped page is
 * what reading a mapped file costs: 5 MB of a file in the page cache took 3 ms through a new mapping,
 * 0.1 ms through one already touched, 0.25 ms by {@code pread}. A server that sends the same frames
 * again and again, or a notebook that reads a file again, pays it once.
 *
 * <p>A mapping is used again only for the same state of the same file ({@link Key}: path, file identity,
 * size, modification time). A shared read-only mapping shows the file as it is now, so one
 * kept is what a new one would be; and while it is kept, the file's identity cannot be given to another
 * file. Opening a path that now names another state of the file drops what was kept for it, so a file
 * replaced is not held. Bounded by bytes mapped and by count: the least recently opened go first, and
 * their memory is released once the last vector over them is closed, as for any mapping. Thread-safe.
 *
 * <p>Small NPY files (the columns of an NPY directory) past the mappings it may keep are kept as copies
 * ({@link #keepCopy}): an NPY directory of 10,000 columns opened again is then one {@code statx} a file,
 * where opening and reading each one took three system calls. A copy does not follow the file as a mapping
 * does, so one is kept only for a settled state of the file ({@link io.arrownpz.internal.io.FileState}),
 * found by the whole state (status change time included), as the key of an NPY file's mapping is.
 */
public final class KeptMappings {
  /** The one every open of an archive, a Feather or IPC file and an NPY file uses. */
  public static final KeptMappings SHARED = new KeptMappings(1024, 256L << 20, 65_536, 64L << 20);

  /**
   * What tells one state of a file from another, short of its contents: path, identity, size, modification
   * time (null where the identity already holds it, as an NPY file's whole {@code FileState} does).
   */
  public record Key(Path path, Object fileKey, long size, FileTime modified) {
    /** The key of {@code path} as {@code attributes} (read just now) describe it. */
    public static Key of(Path path, BasicFileAttributes attributes) {
      return new Key(path.toAbsolutePath().normalize(), attributes.fileKey(), attributes.size(),
          attributes.lastModifiedTime());
    }

    /**
     * The key of {@code path}, open with {@code size} bytes (as its channel says); null when its attributes
     * give another size (it changed between the two looks) and nothing may be kept for it.
     */
    public static Key ofOpen(Path path, long size) throws IOException {
      BasicFileAttributes attributes = java.nio.file.Files.readAttributes(path, BasicFileAttributes.class);
      return size == attributes.size() ? of(path, attributes) : null;
    }

    /**
     * From the file's identity and size, not its path: the path is a new object at every open, whose hash
     * is worked out over all its bytes again (a twentieth of an open of 10,000 NPY files). Equal keys have
     * equal identities; where a file system gives none, the path's hash stands in.
     */
    @Override
    public int hashCode() {
      return 31 * (fileKey != null ? fileKey.hashCode() : path.hashCode()) + Long.hashCode(size);
    }
  }

  /** Mappings of files: each an area of the address space, the kind a process has a limited number of. */
  private final Pool mappings;
  /**
   * Copies of small files read whole, held as mappings are ({@link MappedRegion#readInState}): kept where
   * keeping a mapping of each would take too many mappings (an NPY directory of thousands of columns).
   */
  private final Pool copies;
  /** The paths what is kept is of, with how many states of each (one, unless a writer raced an open). */
  private final Map<Path, Integer> paths = new java.util.HashMap<>();
  /** The directories of those paths, with how many kept regions are of files in each. */
  private final Map<Path, Integer> directories = new java.util.HashMap<>();

  KeptMappings(int maxMappings, long maxBytes) {
    this(maxMappings, maxBytes, 0, 0);
  }

  KeptMappings(int maxMappings, long maxBytes, int maxCopies, long maxCopyBytes) {
    this.mappings = new Pool(maxMappings, maxBytes);
    this.copies = new Pool(maxCopies, maxCopyBytes);
  }

  /**
   * The whole of {@code path}, {@code size} bytes, in the state {@code key} names: the mapping kept for it,
   * or a new one, kept. The caller closes what it gets (the kept reference is the cache's own).
   */
  public MappedRegion map(Path path, Key key, long size) throws IOException {
    MappedRegion same = get(key);
    if (same != null) {
      return same;
    }
    MappedRegion fresh = MappedRegion.map(path, 0, size);
    if (size == 0 || size > mappings.maxBytes) {
      return fresh;
    }
    List<MappedRegion> dropped = new ArrayList<>();
    try {
      synchronized (this) {
        if (!holds(key)) {
          mappings.put(key, fresh);
          mappings.dropEldest(key, dropped);
        }
      }
      return fresh;
    } finally {
      dropped.forEach(MappedRegion::close); // outside the lock: a release may unmap
    }
  }

  /**
   * The mapping or copy kept for {@code key}, another reference to it, or null; the caller closes it.
   * What is kept for another state of the same path is let go: the file was rewritten or replaced since.
   */
  public MappedRegion get(Key key) {
    List<MappedRegion> dropped = new ArrayList<>();
    try {
      synchronized (this) {
        MappedRegion same = mappings.kept.get(key);
        if (same == null) {
          same = copies.kept.get(key);
        }
        if (same != null) {
          return same.retain();
        }
        dropPath(key.path(), dropped);
        return null;
      }
    } finally {
      dropped.forEach(MappedRegion::close);
    }
  }

  /**
   * Keeps {@code fresh}, a mapping of the whole file in the state {@code key} names, made by the caller
   * (who keeps its own reference), in place of any kept for that path; unless it is too large.
   */
  public void keep(Key key, MappedRegion fresh) {
    keepIn(mappings, key, fresh);
  }

  /**
   * Keeps {@code copy}, a copy of the whole file in the settled state {@code key} names
   * ({@link MappedRegion#readInState}), as {@link #keep} keeps a mapping; counted apart from mappings.
   */
  public void keepCopy(Key key, MappedRegion copy) {
    if (!copy.namesState()) {
      throw new IllegalArgumentException(copy + ": a copy kept must be named by its file's state");
    }
    keepIn(copies, key, copy);
  }

  private void keepIn(Pool pool, Key key, MappedRegion fresh) {
    if (fresh.length() == 0 || fresh.length() > pool.maxBytes) {
      return;
    }
    List<MappedRegion> dropped = new ArrayList<>();
    try {
      synchronized (this) {
        dropPath(key.path(), dropped);
        pool.put(key, fresh);
        pool.dropEldest(key, dropped);
      }
    } finally {
      dropped.forEach(MappedRegion::close);
    }
  }

  /**
   * Whether fewer than half the mappings it may keep are kept. Files kept only where they are many and small
   * (the columns of an NPY directory) are mapped and kept only then, so that a directory of more files than
   * it keeps does not turn every mapping over on every open of it; past that, they are kept as copies
   * ({@link #keepCopy}), of which many more may be kept.
   */
  public synchronized boolean roomy() {
    return mappings.kept.size() < mappings.max / 2;
  }

  /**
   * Whether copies fill less than half of what may be kept of them, by count and by bytes: small files are
   * copied and kept only then ({@link #keepCopy}), for the reason {@link #roomy} gives for mappings. Two
   * directories of 10,000 files opened in turn each evicted the other's copies, and every open made them
   * anew: slower than keeping none.
   */
  public synchronized boolean roomyForCopies() {
    return copies.kept.size() < copies.max / 2 && copies.bytes < copies.maxBytes / 2;
  }

  /**
   * Paths asked of {@link #seenBefore} once and not again yet, the most recent 32,768 (the files of a few
   * directories of 10,000 columns, so that their second opens find them all).
   */
  private final Map<Path, Boolean> seenOnce = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Boolean> eldest) {
      return size() > 32_768;
    }
  };

  /**
   * Whether {@code path} was asked of before (lately); if not, it is remembered as asked once. Files kept
   * only where they are small are kept from their second open on: a file read once (a conversion) does
   * not pay for a mapping, which costs more than reading so few bytes.
   */
  public synchronized boolean seenBefore(Path path) {
    if (seenOnce.remove(path) != null) {
      return true;
    }
    seenOnce.put(path, Boolean.TRUE);
    return false;
  }

  /** Whether any mapping or copy of {@code path} (as keys hold it) is kept: a lookup without a system call. */
  public synchronized boolean holdsPath(Path path) {
    return paths.containsKey(path);
  }

  /**
   * Whether anything is kept of a file directly in {@code dir} (absolute and normalized): one lookup for a
   * directory of thousands of files, where a lookup per file was a fifth of its open (cache misses on the
   * paths and the index, and the lock taken from several threads).
   */
  public synchronized boolean holdsAnyIn(Path dir) {
    return directories.containsKey(dir);
  }

  /** Everything kept for {@code path} (absolute and normalized, as keys hold it), mapped or copied. */
  private void dropPath(Path path, List<MappedRegion> dropped) {
    if (paths.containsKey(path)) {
      mappings.dropIf(key -> key.path().equals(path), dropped);
      copies.dropIf(key -> key.path().equals(path), dropped);
    }
  }

  /**
   * Drops what is kept for {@code path} (named as opens name it): a writer that has just put a new file
   * there calls this, so that the old state's mapping is retired while the writer finishes rather than
   * during the next open, which would find it stale anyway.
   */
  public void forget(Path path) {
    List<MappedRegion> dropped = new ArrayList<>();
    synchronized (this) {
      dropPath(path.toAbsolutePath().normalize(), dropped);
    }
    dropped.forEach(MappedRegion::close);
  }

  /** Drops what is kept for files under {@code dir} (as keys hold their paths): a directory written anew. */
  public void forgetUnder(Path dir) {
    List<MappedRegion> dropped = new ArrayList<>();
    synchronized (this) {
      mappings.dropIf(key -> key.path().startsWith(dir), dropped);
      copies.dropIf(key -> key.path().startsWith(dir), dropped);
    }
    dropped.forEach(MappedRegion::close);
  }

  /** Drops every kept mapping and copy (each is released once no vector uses it). */
  public void clear() {
    List<MappedRegion> dropped = new ArrayList<>();
    synchronized (this) {
      mappings.dropIf(key -> true, dropped);
      copies.dropIf(key -> true, dropped);
    }
    dropped.forEach(MappedRegion::close);
  }

  /** Whether a file of {@code size} bytes is kept when mapped through {@link #map}. */
  public boolean keeps(long size) {
    return size > 0 && size <= mappings.maxBytes;
  }

  public synchronized boolean holds(Key key) {
    return mappings.kept.containsKey(key) || copies.kept.containsKey(key);
  }

  /** How many copies of small files are kept ({@link #keepCopy}), as against mappings. */
  public synchronized int keptCopies() {
    return copies.kept.size();
  }

  synchronized int size() {
    return mappings.kept.size() + copies.kept.size();
  }

  synchronized long bytes() {
    return mappings.bytes + copies.bytes;
  }

  /**
   * Regions of one kind, least recently used first, bounded by count and bytes; every change under the
   * lock of the {@code KeptMappings} that has it, which also keeps the index of paths.
   */
  private final class Pool {
    final int max;
    final long maxBytes;
    final Map<Key, MappedRegion> kept = new LinkedHashMap<>(16, 0.75f, true);
    long bytes;

    Pool(int max, long maxBytes) {
      this.max = max;
      this.maxBytes = maxBytes;
    }

    /** Keeps {@code fresh} for {@code key}, which the caller has made sure nothing is kept for. */
    void put(Key key, MappedRegion fresh) {
      kept.put(key, fresh.retain());
      paths.merge(key.path(), 1, Integer::sum);
      directories.merge(parentOf(key.path()), 1, Integer::sum);
      bytes += fresh.length();
    }

    /** The least recently used, until the pool is within bounds, but never {@code newest}. */
    void dropEldest(Key newest, List<MappedRegion> dropped) {
      for (Iterator<Map.Entry<Key, MappedRegion>> it = kept.entrySet().iterator();
          (bytes > maxBytes || kept.size() > max) && it.hasNext(); ) {
        Map.Entry<Key, MappedRegion> e = it.next();
        if (!e.getKey().equals(newest)) {
          drop(it, e, dropped);
        }
      }
    }

    void dropIf(java.util.function.Predicate<Key> which, List<MappedRegion> dropped) {
      for (Iterator<Map.Entry<Key, MappedRegion>> it = kept.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Key, MappedRegion> e = it.next();
        if (which.test(e.getKey())) {
          drop(it, e, dropped);
        }
      }
    }

    /** Removes the entry {@code at} stands on, whose region is then closed by the caller, outside the lock. */
    private void drop(Iterator<?> at, Map.Entry<Key, MappedRegion> entry, List<MappedRegion> dropped) {
      paths.computeIfPresent(entry.getKey().path(), (p, n) -> n == 1 ? null : n - 1);
      directories.computeIfPresent(parentOf(entry.getKey().path()), (p, n) -> n == 1 ? null : n - 1);
      bytes -= entry.getValue().length();
      dropped.add(entry.getValue());
      at.remove();
    }
  }

  /** The directory a key's path is in; the root's own (never a file's) stands for itself. */
  private static Path parentOf(Path path) {
    Path parent = path.getParent();
    return parent == null ? path : parent;
  }
}
