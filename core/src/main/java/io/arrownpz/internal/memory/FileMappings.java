package io.arrownpz.internal.memory;

import io.arrownpz.cache.ReadCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where a read gets the bytes of a file: mapped afresh ({@link #FRESH}, the default), from a {@link ReadCache}
 * its caller owns, or read into memory ({@link #LOADED}). Either way the caller closes the region it gets.
 */
public interface FileMappings {
  /** The first {@code size} bytes of {@code file} (its size when asked), read-only. */
  MappedRegion mapWhole(Path file, long size) throws IOException;

  /**
   * Whether bytes are read into memory rather than mapped. Then a read takes only what it uses: an archive's
   * members one by one ({@link #part}), not the whole file, and a file already open is read through its
   * channel.
   */
  default boolean readsIntoMemory() {
    return false;
  }

  /**
   * Bytes {@code [offset, offset + length)} of {@code file}, read-only; {@code reads} reads the file, open
   * already, and {@code member} names the part in messages.
   */
  default Region part(Path file, Reads reads, long offset, long length, String member) throws IOException {
    return MappedRegion.map(file, offset, length);
  }

  /** Maps the file afresh at every call and keeps nothing. */
  FileMappings FRESH = (file, size) -> MappedRegion.map(file, 0, size);

  /**
   * Reads the bytes into memory at every call, rather than mapping them (see {@link MappedRegion#load}), and
   * keeps nothing; an archive's members are read one by one, as they are asked for, and a member that is
   * converted (a C-order block transposed) is read in bands straight into the conversion, not whole first
   * ({@link RangeReadRegion#loadedWhole}).
   */
  FileMappings LOADED = new FileMappings() {
    @Override
    public MappedRegion mapWhole(Path file, long size) throws IOException {
      return MappedRegion.load(file, 0, size);
    }

    @Override
    public boolean readsIntoMemory() {
      return true;
    }

    @Override
    public Region part(Path file, Reads reads, long offset, long length, String member) {
      return RangeReadRegion.loadedWhole(reads, file.toString(), offset, length, member);
    }
  };

  /**
   * How a read with {@code options} gets its files: read into memory when {@link
   * io.arrownpz.ReadOptions#memoryMap()} is false, else through its cache, or mapped afresh without one.
   */
  static FileMappings of(io.arrownpz.ReadOptions options) {
    if (!options.memoryMap()) {
      return LOADED;
    }
    return of(options.cache());
  }

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
