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
 */
public final class KeptMappings {
  /** The one every open of an archive, a Feather or IPC file and an NPY file uses. */
  public static final KeptMappings SHARED = new KeptMappings(1024, 256L << 20);

  /** What tells one state of a file from another, short of its contents: path, identity, size, modification time. */
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
  }

  private final int maxMappings;
  private final long maxBytes;
  private final Map<Key, MappedRegion> kept = new LinkedHashMap<>(16, 0.75f, true);
  /** The paths kept mappings are of, with how many states of each (one, unless a writer raced an open). */
  private final Map<Path, Integer> paths = new java.util.HashMap<>();
  private long bytes;

  KeptMappings(int maxMappings, long maxBytes) {
    this.maxMappings = maxMappings;
    this.maxBytes = maxBytes;
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
    if (size == 0 || size > maxBytes) {
      return fresh;
    }
    List<MappedRegion> dropped = new ArrayList<>();
    try {
      synchronized (this) {
        if (!kept.containsKey(key)) {
          put(key, fresh);
          dropEldest(key, dropped);
        }
      }
      return fresh;
    } finally {
      dropped.forEach(MappedRegion::close); // outside the lock: a release may unmap
    }
  }

  /**
   * The mapping kept for {@code key}, another reference to it, or null; the caller closes it. A mapping
   * kept for another state of the same path is let go: the file was rewritten or replaced since.
   */
  public MappedRegion get(Key key) {
    List<MappedRegion> dropped = new ArrayList<>();
    try {
      synchronized (this) {
        MappedRegion same = kept.get(key);
        if (same != null) {
          return same.retain();
        }
        dropOtherStates(key, dropped);
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
    if (fresh.length() == 0 || fresh.length() > maxBytes) {
      return;
    }
    List<MappedRegion> dropped = new ArrayList<>();
    try {
      synchronized (this) {
        dropPath(key.path(), dropped);
        put(key, fresh);
        dropEldest(key, dropped);
      }
    } finally {
      dropped.forEach(MappedRegion::close);
    }
  }

  /**
   * Whether fewer than half the mappings it may keep are kept. Files kept only where they are many and small
   * (the columns of an NPY directory) are kept only then, so that a directory of more files than it keeps
   * does not turn every mapping over on every open of it: the first of its files stay kept, the rest are
   * read as if nothing were kept.
   */
  public synchronized boolean roomy() {
    return kept.size() < maxMappings / 2;
  }

  /** Paths asked of {@link #seenBefore} once and not again yet, the most recent few thousand. */
  private final Map<Path, Boolean> seenOnce = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Boolean> eldest) {
      return size() > 4096;
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

  /** Whether any mapping of {@code path} (as keys hold it) is kept: a lookup without a system call. */
  public synchronized boolean holdsPath(Path path) {
    return paths.containsKey(path);
  }

  private void put(Key key, MappedRegion fresh) {
    kept.put(key, fresh.retain());
    paths.merge(key.path(), 1, Integer::sum);
    bytes += fresh.length();
  }

  /** Mappings kept for another state of the same path: the file was rewritten or replaced since. */
  private void dropOtherStates(Key key, List<MappedRegion> dropped) {
    dropPath(key.path(), dropped);
  }

  /** Every mapping kept for {@code path} (absolute and normalized, as keys hold it). */
  private void dropPath(Path path, List<MappedRegion> dropped) {
    if (!paths.containsKey(path)) {
      return;
    }
    for (Iterator<Map.Entry<Key, MappedRegion>> it = kept.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, MappedRegion> e = it.next();
      if (e.getKey().path().equals(path)) {
        drop(it, e.getKey().path(), e.getValue(), dropped);
      }
    }
  }

  private void dropEldest(Key newest, List<MappedRegion> dropped) {
    for (Iterator<Map.Entry<Key, MappedRegion>> it = kept.entrySet().iterator();
        (bytes > maxBytes || kept.size() > maxMappings) && it.hasNext(); ) {
      Map.Entry<Key, MappedRegion> e = it.next();
      if (!e.getKey().equals(newest)) {
        drop(it, e.getKey().path(), e.getValue(), dropped);
      }
    }
  }

  /** Removes the entry {@code at} stands on, whose mapping is {@code mapping}, to be closed by the caller. */
  private void drop(Iterator<?> at, Path path, MappedRegion mapping, List<MappedRegion> dropped) {
    paths.computeIfPresent(path, (p, n) -> n == 1 ? null : n - 1);
    bytes -= mapping.length();
    dropped.add(mapping);
    at.remove();
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
      for (Iterator<Map.Entry<Key, MappedRegion>> it = kept.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Key, MappedRegion> e = it.next();
        if (e.getKey().path().startsWith(dir)) {
          drop(it, e.getKey().path(), e.getValue(), dropped);
        }
      }
    }
    dropped.forEach(MappedRegion::close);
  }

  /** Drops every kept mapping (each is released once no vector uses it). */
  public void clear() {
    List<MappedRegion> dropped;
    synchronized (this) {
      dropped = new ArrayList<>(kept.values());
      kept.clear();
      paths.clear();
      bytes = 0;
    }
    dropped.forEach(MappedRegion::close);
  }

  /** Whether a file of {@code size} bytes is kept when mapped through {@link #map}. */
  public boolean keeps(long size) {
    return size > 0 && size <= maxBytes;
  }

  public synchronized boolean holds(Key key) {
    return kept.containsKey(key);
  }

  synchronized int size() {
    return kept.size();
  }

  synchronized long bytes() {
    return bytes;
  }
}
