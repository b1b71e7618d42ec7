package io.arrownpz.bridge.ipc;

import io.arrownpz.internal.arrow.HashedField;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Feather footers parsed lately, found again by their bytes: a file read again, or another with the very
 * same footer (the same content written again), gets the footer parsed the first time, its schema's fields
 * with their hashes kept ({@link HashedField}). At 10,000 columns with their metadata, parsing the footer
 * was 29% of reading the file whole, and hashing the fields for Arrow's {@code VectorSchemaRoot} (a map
 * keyed by field) another 27%. Equal bytes, equal footer: nothing else decides what is parsed. Bounded by
 * count and by the bytes kept to compare; the least recently read go first. Thread-safe; what is kept is
 * immutable.
 */
final class KeptFooters {
  /** The one every Feather read uses. */
  static final KeptFooters SHARED = new KeptFooters(16, 32L << 20);

  /** A footer as parsed and checked: the Arrow footer, and whether its batches are big-endian. */
  record Parsed(ArrowFooter footer, boolean bigEndian) {}

  private final int maxFooters;
  private final long maxBytes;
  private final Map<Bytes, Parsed> kept = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  KeptFooters(int maxFooters, long maxBytes) {
    this.maxFooters = maxFooters;
    this.maxBytes = maxBytes;
  }

  /** The footer parsed before from these very bytes (the footer's, in the file), or null. */
  synchronized Parsed get(ByteBuffer footer) {
    return kept.get(new Bytes(footer));
  }

  /**
   * Keeps {@code parsed}, the footer parsed from {@code footer}'s bytes, with its fields' hashes kept; the
   * footer to read with (the one kept).
   */
  Parsed keep(ByteBuffer footer, Parsed parsed) {
    Parsed hashed = new Parsed(withHashedFields(parsed.footer()), parsed.bigEndian());
    if (footer.remaining() > maxBytes / 4) {
      return hashed;
    }
    byte[] copy = new byte[footer.remaining()];
    footer.duplicate().get(copy);
    synchronized (this) {
      Parsed other = kept.putIfAbsent(new Bytes(ByteBuffer.wrap(copy)), hashed);
      if (other != null) {
        return other; // kept by another reader meanwhile: every reader of these bytes gets the same
      }
      bytes += copy.length;
      Iterator<Bytes> eldest = kept.keySet().iterator();
      while ((kept.size() > maxFooters || bytes > maxBytes) && eldest.hasNext()) {
        bytes -= eldest.next().length();
        eldest.remove();
      }
    }
    return hashed;
  }

  synchronized int size() {
    return kept.size();
  }

  synchronized void clear() {
    kept.clear();
    bytes = 0;
  }

  private static ArrowFooter withHashedFields(ArrowFooter footer) {
    Schema schema = footer.getSchema();
    List<Field> fields = new ArrayList<>(schema.getFields().size());
    for (Field f : schema.getFields()) {
      fields.add(HashedField.of(f));
    }
    return new ArrowFooter(new Schema(fields, schema.getCustomMetadata()), footer.getDictionaries(),
        footer.getRecordBatches());
  }

  /** A footer's bytes by content: their CRC-32C as the hash, compared whole. */
  private static final class Bytes {
    private final ByteBuffer bytes;
    private final int hash;

    Bytes(ByteBuffer bytes) {
      this.bytes = bytes.duplicate();
      CRC32C crc = new CRC32C();
      crc.update(bytes.duplicate());
      this.hash = (int) crc.getValue() ^ bytes.remaining();
    }

    int length() {
      return bytes.remaining();
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
