package io.arrownpz.flight.internal;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Framed schema messages kept for the {@code Schema} objects they were made from, so that a dataset served
 * again sends the bytes framed the first time. Found by identity, not by equality: a frame's layout keeps
 * its {@code Schema} from read to read, and comparing 10,000 fields with their metadata would cost a good
 * part of what framing them again does. A schema no longer reachable is never found again and goes out
 * with the least recently used. Bounded in count and bytes; a larger message is framed but not kept.
 */
final class KeptSchemaMessages {
  private final int maxSchemas;
  private final long maxBytes;
  private final LinkedHashMap<Identity, ByteBuffer> kept = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  KeptSchemaMessages(int maxSchemas, long maxBytes) {
    this.maxSchemas = maxSchemas;
    this.maxBytes = maxBytes;
  }

  /** The framed message of {@code schema}: a read-only view of the kept one, or framed now and kept. */
  ByteBuffer framed(Schema schema) {
    Identity identity = new Identity(schema);
    synchronized (this) {
      ByteBuffer found = kept.get(identity);
      if (found != null) {
        return found.asReadOnlyBuffer();
      }
    }
    ByteBuffer framed = FramedMessages.schema(schema); // outside the lock: megabytes for a wide frame
    synchronized (this) {
      if (framed.remaining() <= maxBytes && kept.putIfAbsent(identity, framed) == null) {
        bytes += framed.remaining();
        evict();
      }
    }
    return framed.asReadOnlyBuffer();
  }

  /** Whether the message of this very schema is kept. */
  synchronized boolean holds(Schema schema) {
    return kept.containsKey(new Identity(schema));
  }

  /** Messages kept now. */
  synchronized int size() {
    return kept.size();
  }

  private void evict() {
    Iterator<Map.Entry<Identity, ByteBuffer>> eldest = kept.entrySet().iterator();
    while ((kept.size() > maxSchemas || bytes > maxBytes) && eldest.hasNext()) {
      bytes -= eldest.next().getValue().remaining();
      eldest.remove();
    }
  }

  /** A schema by identity, without keeping it alive. */
  private static final class Identity {
    private final WeakReference<Schema> schema;
    private final int hash;

    Identity(Schema schema) {
      this.schema = new WeakReference<>(schema);
      this.hash = System.identityHashCode(schema);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Identity other)) {
        return false;
      }
      Schema mine = schema.get();
      return mine != null && mine == other.schema.get();
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
