package io.arrownpz.flight.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;

/**
 * The dictionaries of a stream as they were for some of its batches, held after the stream has moved on
 * (a replacement reloads the stream's own vectors) or closed. The values are shared with the stream's
 * buffers, not copied; the snapshot keeps them alive until it is closed.
 */
public final class DictionarySnapshot implements DictionaryProvider, AutoCloseable {
  private final Map<Long, Dictionary> byId;

  private DictionarySnapshot(Map<Long, Dictionary> byId) {
    this.byId = byId;
  }

  /** What {@code current} holds now, in vectors of {@code allocator}. */
  static DictionarySnapshot of(DictionaryProvider current, BufferAllocator allocator) {
    Map<Long, Dictionary> byId = new HashMap<>();
    try {
      for (long id : current.getDictionaryIds()) {
        Dictionary dictionary = current.lookup(id);
        byId.put(id, new Dictionary(shared(dictionary.getVector(), allocator), dictionary.getEncoding()));
      }
    } catch (RuntimeException e) {
      byId.values().forEach(d -> d.getVector().close());
      throw e;
    }
    return new DictionarySnapshot(byId);
  }

  /** Dictionaries of one's own, made by the caller (empty ones for a schema without batches). */
  static DictionarySnapshot owning(Map<Long, Dictionary> byId) {
    return new DictionarySnapshot(new HashMap<>(byId));
  }

  /** A vector over the same buffers as {@code values} (each retained), which stays whole when those are reloaded. */
  private static FieldVector shared(FieldVector values, BufferAllocator allocator) {
    FieldVector copy = values.getField().createVector(allocator);
    int count = values.getValueCount();
    if (count > 0) {
      values.makeTransferPair(copy).splitAndTransfer(0, count);
    }
    copy.setValueCount(count);
    return copy;
  }

  @Override
  public Dictionary lookup(long id) {
    return byId.get(id);
  }

  @Override
  public Set<Long> getDictionaryIds() {
    return byId.keySet();
  }

  @Override
  public void close() {
    byId.values().forEach(d -> d.getVector().close());
  }
}
