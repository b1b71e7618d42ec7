package io.arrownpz.internal.npy;

import io.arrownpz.npy.NpyHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
  private static final Map<String, NpyHeader> SHARED = new ConcurrentHashMap<>();

  private final Map<String, NpyHeader> headers = new HashMap<>();
  private int hits;

  NpyHeader get(int major, ByteBuffer raw) {
    String key = key(major, raw);
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
    String key = key(major, raw);
    headers.put(key, header);
    if (SHARED.size() >= SHARED_BOUND) {
      SHARED.clear();
    }
    SHARED.put(key, header);
  }

  /** How many lookups found a header already parsed. */
  public int hits() {
    return hits;
  }

  /** How many distinct headers were parsed. */
  public int size() {
    return headers.size();
  }

  private static String key(int major, ByteBuffer raw) {
    // Latin-1 maps bytes to chars one to one, so equal text means equal bytes. The bytes are copied out in
    // bulk: a charset decoder over a direct buffer goes byte by byte, and this runs once per member.
    byte[] bytes = new byte[raw.remaining() + 1];
    bytes[0] = (byte) major;
    raw.get(raw.position(), bytes, 1, bytes.length - 1);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
