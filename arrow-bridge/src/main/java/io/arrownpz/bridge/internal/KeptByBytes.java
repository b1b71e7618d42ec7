package io.arrownpz.bridge.internal;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * What was made lately from some bytes (a parsed footer, a schema), found again by those bytes alone: equal
 * bytes, equal value, so nothing else has to be checked. Keys are copies of the bytes, hashed by CRC-32C and
 * compared whole. Bounded by count and by heap: the bytes kept to compare and what the owner's weigher says
 * a value holds (a parsed schema holds several times the bytes it was parsed from). The least recently used
 * go first, and an entry weighing more than a quarter of the bound is not kept. Thread-safe; what is kept
 * must be immutable.
 *
 * @param <V> what is made from the bytes
 */
public final class KeptByBytes<V> {
  private final int maxEntries;
  private final long maxBytes;
  private final java.util.function.ToLongFunction<V> valueBytes;
  private final Map<Bytes, Kept<V>> kept = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  /**
   * @param maxBytes heap bytes kept at most: keys' bytes and values' weights together
   * @param valueBytes about how many heap bytes a value holds
   */
  public KeptByBytes(int maxEntries, long maxBytes, java.util.function.ToLongFunction<V> valueBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.valueBytes = valueBytes;
  }

  private record Kept<V>(V value, long weight) {}

  /** What was kept for these very bytes, or null. */
  public synchronized V get(ByteBuffer content) {
    Kept<V> k = kept.get(new Bytes(content));
    return k == null ? null : k.value();
  }

  /**
   * Keeps {@code value}, made from {@code content}'s bytes (copied), and returns the value to use: the one
   * kept by another caller meanwhile, so that every reader of the same bytes gets the same.
   */
  public V keep(ByteBuffer content, V value) {
    long weight = content.remaining() + valueBytes.applyAsLong(value);
    if (weight > maxBytes / 4) {
      return value;
    }
    byte[] copy = new byte[content.remaining()];
    content.duplicate().get(copy);
    synchronized (this) {
      Kept<V> other = kept.putIfAbsent(new Bytes(ByteBuffer.wrap(copy)), new Kept<>(value, weight));
      if (other != null) {
        return other.value();
      }
      bytes += weight;
      Iterator<Kept<V>> eldest = kept.values().iterator();
      while ((kept.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
        bytes -= eldest.next().weight();
        eldest.remove();
      }
    }
    return value;
  }

  public synchronized int size() {
    return kept.size();
  }

  public synchronized void clear() {
    kept.clear();
    bytes = 0;
  }

  /** Bytes by content: their CRC-32C (and length) as the hash, compared whole. */
  private static final class Bytes {
    private final ByteBuffer bytes;
    private final int hash;

    Bytes(ByteBuffer bytes) {
      this.bytes = bytes.duplicate();
      CRC32C crc = new CRC32C();
      crc.update(bytes.duplicate());
      this.hash = (int) crc.getValue() ^ bytes.remaining();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes other && hash == other.hash && bytes.equals(other.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
