package io.arrownpz.cache;

import io.arrownpz.internal.memory.FileMappings;

/**
 * Mappings of files kept between reads, for an owner that reads the same files again and again (a Flight
 * service, a notebook): passed in through {@link io.arrownpz.ReadOptions#withCache}, closed by whoever made
 * it. Reads without one keep nothing.
 *
 * <p><b>What it keeps, and why that is always current.</b> Only shared, read-only mappings of whole files:
 * views of the file's own pages, never a copy. Anything derived from the bytes (headers, a ZIP directory,
 * a transposed or converted column) is made again from the mapping at every read, so a file rewritten in
 * place, through a memory map, with its times or CRC-32 put back, or with a member's data moved, is read as
 * it is now. <b>The rule of validity</b>: a kept mapping is used only while the path names the same file
 * (device and inode) with the same size as when it was mapped; otherwise it is dropped and the file mapped
 * again. A file whose platform gives no identity, or that cannot be mapped (and would be copied), is not
 * kept.
 *
 * <p>Bounded by the bytes of the files kept mapped ({@link Builder#maxBytes}): past it the least recently
 * used are let go. Letting go never invalidates a table already read: its vectors hold the mapping until
 * they are closed. {@link #close()} lets every mapping go; the cache then maps afresh and keeps nothing.
 * Thread-safe.
 */
public final class ReadCache implements AutoCloseable {
  static {
    FileMappings.Access.grant(cache -> cache.mappings);
  }

  /** The bound a cache built without {@link Builder#maxBytes} has. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  private final KeptMappings mappings;

  private ReadCache(long maxBytes) {
    this.mappings = new KeptMappings(maxBytes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What the cache holds and has done, as of now. */
  public Stats stats() {
    return mappings.stats();
  }

  /** Lets every kept mapping go (tables already read keep theirs until closed); later reads keep nothing. */
  @Override
  public void close() {
    mappings.close();
  }

  /**
   * Counters of a cache.
   *
   * @param hits reads that used a kept mapping
   * @param misses reads that mapped the file (the first read of a file, or one after a change)
   * @param changed kept mappings dropped because the path no longer named the same file of the same size
   * @param evicted kept mappings let go to stay under the bound
   * @param files files kept mapped now
   * @param bytesHeld bytes of the files kept mapped now
   */
  public record Stats(long hits, long misses, long changed, long evicted, int files, long bytesHeld) {}

  /** Makes a {@link ReadCache}. */
  public static final class Builder {
    private long maxBytes = DEFAULT_MAX_BYTES;

    private Builder() {}

    /** The most bytes of files kept mapped at once (default 1 GiB); a file larger than this is not kept. */
    public Builder maxBytes(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxBytes must not be negative: " + value);
      }
      maxBytes = value;
      return this;
    }

    public ReadCache build() {
      return new ReadCache(maxBytes);
    }
  }
}
