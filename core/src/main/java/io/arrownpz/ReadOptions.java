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
 */
public record ReadOptions(NumpyFormat format, String member, NpyReadOptions arrays, long maxInflatedBytes,
    ReadCache cache) {
  public static final ReadOptions DEFAULTS =
      new ReadOptions(null, null, NpyReadOptions.DEFAULTS, Integer.MAX_VALUE, null);

  public ReadOptions withFormat(NumpyFormat value) {
    return new ReadOptions(value, member, arrays, maxInflatedBytes, cache);
  }

  public ReadOptions withMember(String value) {
    return new ReadOptions(format, value, arrays, maxInflatedBytes, cache);
  }

  public ReadOptions withArrays(NpyReadOptions value) {
    return new ReadOptions(format, member, value, maxInflatedBytes, cache);
  }

  public ReadOptions withMaxInflatedBytes(long value) {
    return new ReadOptions(format, member, arrays, value, cache);
  }

  /** Reads through {@code value}, a cache the caller made and closes; null keeps nothing between reads. */
  public ReadOptions withCache(ReadCache value) {
    return new ReadOptions(format, member, arrays, maxInflatedBytes, value);
  }
}
