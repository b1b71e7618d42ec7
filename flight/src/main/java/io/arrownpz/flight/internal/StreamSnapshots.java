package io.arrownpz.flight.internal;

import io.arrownpz.bridge.internal.HeldDictionary;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.dictionary.DictionaryProvider;

/**
 * Snapshots of one stream's dictionaries, batch by batch: a new one only when the sender replaced a
 * dictionary since the last (batches that share dictionaries share a snapshot). The snapshots are the
 * caller's to close; the tracker holds the stream's buffers as last seen until it is closed.
 */
public final class StreamSnapshots implements AutoCloseable {
  private final DictionaryProvider stream;
  private final BufferAllocator allocator;
  private final Map<Long, HeldDictionary> seen = new HashMap<>();
  private DictionarySnapshot last;

  public StreamSnapshots(DictionaryProvider stream, BufferAllocator allocator) {
    this.stream = stream;
    this.allocator = allocator;
  }

  /** The dictionaries of the batch just loaded: the last batch's snapshot itself when none changed. */
  public DictionarySnapshot current() {
    boolean changed = last == null;
    for (long id : stream.getDictionaryIds()) {
      HeldDictionary held = seen.computeIfAbsent(id, k -> new HeldDictionary());
      var values = stream.lookup(id).getVector();
      if (!held.unchanged(values)) {
        held.hold(values);
        changed = true;
      }
    }
    if (changed) {
      last = DictionarySnapshot.of(stream, allocator);
    }
    return last;
  }

  @Override
  public void close() {
    seen.values().forEach(HeldDictionary::close);
  }
}
