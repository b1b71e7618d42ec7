package io.arrownpz.cache;

import io.arrownpz.internal.memory.FileMappings;
import io.arrownpz.internal.memory.MappedRegion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mappings a {@link ReadCache} keeps, least recently used first; see there for the rule of validity. */
final class KeptMappings implements FileMappings {
  private record Kept(Object fileKey, long size, MappedRegion region) {}

  private final long maxBytes;
  private final Map<Path, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
  private long bytesHeld;
  private long hits;
  private long misses;
  private long changed;
  private long evicted;
  private boolean closed;

  KeptMappings(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public MappedRegion mapWhole(Path file, long size) throws IOException {
    Object fileKey = fileKey(file, size);
    Path key = file.toAbsolutePath().normalize();
    List<MappedRegion> released = new ArrayList<>();
    try {
      synchronized (this) {
        Kept found = closed ? null : kept.get(key);
        if (found != null) {
          if (found.fileKey.equals(fileKey) && found.size == size) {
            hits++;
            return found.region.retain();
          }
          kept.remove(key);
          bytesHeld -= found.size;
          changed++;
          released.add(found.region);
        }
      }
      MappedRegion region = MappedRegion.map(file, 0, size);
      synchronized (this) {
        misses++;
        if (closed || fileKey == null || size > maxBytes || !region.viewsFile()) {
          return region;
        }
        Kept replaced = kept.put(key, new Kept(fileKey, size, region.retain()));
        if (replaced != null) { // another thread mapped it meanwhile
          bytesHeld -= replaced.size;
          released.add(replaced.region);
        }
        bytesHeld += size;
        Iterator<Kept> eldest = kept.values().iterator();
        while (bytesHeld > maxBytes && eldest.hasNext()) {
          Kept e = eldest.next();
          eldest.remove();
          bytesHeld -= e.size;
          evicted++;
          released.add(e.region);
        }
        return region;
      }
    } finally {
      released.forEach(MappedRegion::close); // outside the lock: the last release may unmap
    }
  }

  /** The file's device and inode, when its size is {@code size}; null when the platform gives none. */
  private static Object fileKey(Path file, long size) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null; // replaced while it was opened: mapped afresh, and not kept
    }
    return attributes.size() == size ? attributes.fileKey() : null;
  }

  synchronized ReadCache.Stats stats() {
    return new ReadCache.Stats(hits, misses, changed, evicted, kept.size(), bytesHeld);
  }

  void close() {
    List<Kept> released;
    synchronized (this) {
      closed = true;
      released = new ArrayList<>(kept.values());
      kept.clear();
      bytesHeld = 0;
    }
    released.forEach(k -> k.region.close());
  }
}
