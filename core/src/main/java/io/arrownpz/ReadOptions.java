package io.arrownpz;

import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.cache.ReadCache;

/**
 * How {@link NumpyTables#read} reads a file.
 *
 * @param format the file's format, or null to tell it from the file (a directory, the first bytes, the name)
 * @param member for an NPZ: read only this member (by name, or key without {@code .npy}) as a one-column
 *     table; null reads the whole archive
 * @param arrays how arrays become vectors (for example bytes as fixed-size binary)
 * @param maxInflatedBytes the most one deflated NPZ member may inflate to (at most 2 GiB, the default): a
 *     service reading uploads sets it low, so that a small file cannot claim much memory
 * @param cache mappings kept between reads, owned by the caller; null (the default) keeps nothing
 * @param memoryMap true (the default): a file's bytes are mapped, and vectors are views of them where the
 *     layout allows, so that only what is touched is read. False: the bytes a read takes (a whole NPY file, an
 *     NPZ's members as they are asked for) are read into memory, as NumPy's {@code np.load} does without
 *     {@code mmap_mode} and pyarrow with {@code memory_map=False}: one copy of them, and no page fault for
 *     each page touched, which is faster where every value will be used and page faults are dear (a virtual
 *     machine's); the vectors do not see later changes to the file. A cache keeps mappings, so it cannot be
 *     combined with false.
 */
public record ReadOptions(NumpyFormat format, String member, NpyReadOptions arrays, long maxInflatedBytes,
    ReadCache cache, boolean memoryMap) {
  public static final ReadOptions DEFAULTS =
      new ReadOptions(null, null, NpyReadOptions.DEFAULTS, Integer.MAX_VALUE, null, true);

  public ReadOptions {
    if (cache != null && !memoryMap) {
      throw new IllegalArgumentException("a read cache keeps mappings: it cannot be used with memoryMap false");
    }
  }

  public ReadOptions withFormat(NumpyFormat value) {
    return new ReadOptions(value, member, arrays, maxInflatedBytes, cache, memoryMap);
  }

  public ReadOptions withMember(String value) {
    return new ReadOptions(format, value, arrays, maxInflatedBytes, cache, memoryMap);
  }

  public ReadOptions withArrays(NpyReadOptions value) {
    return new ReadOptions(format, member, value, maxInflatedBytes, cache, memoryMap);
  }

  public ReadOptions withMaxInflatedBytes(long value) {
    return new ReadOptions(format, member, arrays, value, cache, memoryMap);
  }

  /** Reads through {@code value}, a cache the caller made and closes; null keeps nothing between reads. */
  public ReadOptions withCache(ReadCache value) {
    return new ReadOptions(format, member, arrays, maxInflatedBytes, value, memoryMap);
  }

  /** Whether files are mapped (true, the default) or read into memory (false); see {@link #memoryMap()}. */
  public ReadOptions withMemoryMap(boolean value) {
    return new ReadOptions(format, member, arrays, maxInflatedBytes, cache, value);
  }
}
