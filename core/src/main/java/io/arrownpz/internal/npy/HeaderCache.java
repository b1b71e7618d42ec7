package io.arrownpz.internal.npy;

import io.arrownpz.internal.io.ContentHash;
import io.arrownpz.npy.NpyHeader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed NPY headers by their exact text, so that members written with the same dtype, shape and order
 * are parsed once. Not thread-safe: one per archive or directory being read.
 *
 * <p>Behind every cache is one shared by all, thread-safe: a file written again and opened afresh (what
 * {@code compare} does every pass, and a service writing the same shapes day after day) holds the headers
 * parsed for the last one. A header is a value, parsed from its text alone, so sharing it across files is
 * safe; the size checks against each file still run for every member.
 */
public final class HeaderCache {
  /** Headers of every file read lately; emptied when it reaches this many (a bound, not an LRU: they are cheap). */
  private static final int SHARED_BOUND = 4096;
  /**
   * Bytes of header text shared at most, emptied past it as past the count. NumPy pads a header with spaces
   * and a file may declare one of up to 1 MiB: counted by entries alone, 4,096 such files kept 4 GiB.
   * A header longer than a sixty-fourth of this is parsed for its own file only.
   */
  static final long SHARED_MAX_BYTES = 8L << 20;
  private static final Map<Text, NpyHeader> SHARED = new ConcurrentHashMap<>();
  private static long sharedBytes; // guarded by SHARED

  private final Map<Text, NpyHeader> headers = new HashMap<>();
  private int hits;

  NpyHeader get(int major, ByteBuffer raw) {
    Text key = Text.of(major, raw);
    NpyHeader h = headers.get(key);
    if (h != null) {
      hits++;
      return h;
    }
    h = SHARED.get(key);
    if (h != null) {
      headers.put(key, h);
    }
    return h;
  }

  void put(int major, ByteBuffer raw, NpyHeader header) {
    Text key = Text.of(major, raw);
    headers.put(key, header);
    long length = key.bytes.length;
    if (length > SHARED_MAX_BYTES / 64) {
      return;
    }
    synchronized (SHARED) {
      if (SHARED.size() >= SHARED_BOUND || sharedBytes + length > SHARED_MAX_BYTES) {
        SHARED.clear();
        sharedBytes = 0;
      }
      if (SHARED.putIfAbsent(key, header) == null) {
        sharedBytes += length;
      }
    }
  }

  /** Bytes of header text shared now (for tests). */
  static long sharedBytes() {
    synchronized (SHARED) {
      return sharedBytes;
    }
  }

  /** How many lookups found a header already parsed. */
  public int hits() {
    return hits;
  }

  /** How many distinct headers were parsed. */
  public int size() {
    return headers.size();
  }

  /**
   * A header's text with its NPY major version before it, as a key: hashed eight bytes at a time
   * ({@link ContentHash}) and compared with {@link Arrays#equals(byte[], byte[])}. A String key hashed byte
   * by byte, once per member, was a quarter of opening a newly written frame of 1,000 columns.
   */
  private static final class Text {
    private final byte[] bytes;
    private final int hash;

    private Text(byte[] bytes) {
      this.bytes = bytes;
      this.hash = ContentHash.of(bytes);
    }

    static Text of(int major, ByteBuffer raw) {
      byte[] bytes = new byte[raw.remaining() + 1];
      bytes[0] = (byte) major;
      raw.get(raw.position(), bytes, 1, bytes.length - 1);
      return new Text(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Text t && t.hash == hash && Arrays.equals(t.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
