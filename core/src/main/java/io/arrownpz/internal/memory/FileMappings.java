package io.arrownpz.internal.memory;

import io.arrownpz.cache.ReadCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where a read gets the mapping of a whole file: mapped afresh ({@link #FRESH}, the default), or from a
 * {@link ReadCache} its caller owns. Either way the caller closes the region it gets.
 */
public interface FileMappings {
  /** The first {@code size} bytes of {@code file} (its size when asked), mapped read-only. */
  MappedRegion mapWhole(Path file, long size) throws IOException;

  /** Maps the file afresh at every call and keeps nothing. */
  FileMappings FRESH = (file, size) -> MappedRegion.map(file, 0, size);

  /** The mappings of {@code cache}, or {@link #FRESH} for null. */
  static FileMappings of(ReadCache cache) {
    return cache == null ? FRESH : Access.get(cache);
  }

  /**
   * How this module reaches a cache's mappings without making them API: {@link ReadCache} hands over the
   * function when its class is initialized, as the JDK's own packages share internals.
   */
  final class Access {
    private static volatile Function<ReadCache, FileMappings> mappings;

    private Access() {}

    public static void grant(Function<ReadCache, FileMappings> function) {
      if (mappings != null) {
        throw new IllegalStateException("cache access already granted");
      }
      mappings = function;
    }

    static FileMappings get(ReadCache cache) {
      return mappings.apply(cache);
    }
  }
}
