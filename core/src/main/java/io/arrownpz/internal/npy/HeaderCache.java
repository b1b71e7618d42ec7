package io.arrownpz.internal.npy;

import io.arrownpz.npy.NpyHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Parsed NPY headers by their exact text, so that members written with the same dtype, shape and order
 * are parsed once. Not thread-safe: one per archive or directory being read.
 */
public final class HeaderCache {
  private final Map<String, NpyHeader> headers = new HashMap<>();
  private int hits;

  NpyHeader get(int major, ByteBuffer raw) {
    NpyHeader h = headers.get(key(major, raw));
    if (h != null) {
      hits++;
    }
    return h;
  }

  void put(int major, ByteBuffer raw, NpyHeader header) {
    headers.put(key(major, raw), header);
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
