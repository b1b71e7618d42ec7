package io.arrownpz.flight.internal;

import io.arrownpz.bridge.internal.DictionaryValues;
import io.arrownpz.bridge.internal.HeldDictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Dictionaries that change between the batches of a stream we send (a DoGet answer, an upload): Parquet
 * row groups each have their own, and IPC streams may replace theirs. Arrow Java's listeners send a
 * stream's dictionaries once, at its start, so the receiver would read later batches' indices against the
 * first dictionary. Before each batch, every dictionary is compared, value by value, with the one last
 * sent; one that changed is sent again as a replacement, which the IPC stream format (and every Flight
 * peer, Arrow Java's included) applies to the batches after it.
 */
final class DictionaryReplacements implements AutoCloseable {
  private final DictionaryProvider dictionaries;
  /** Where a replacement goes, between the listener's messages; null if the stream cannot be reached. */
  private final Sink stream;
  private final Map<Long, Sent> sent = new HashMap<>();

  /** A dictionary as last sent: its values, and its buffers as last compared (the same again need no comparing). */
  private static final class Sent {
    List<Object> values;
    final HeldDictionary buffers = new HeldDictionary();
  }

  /** Sends a dictionary batch on the stream a listener writes to, and closes it. */
  @FunctionalInterface
  interface Sink {
    void putDictionary(ArrowDictionaryBatch batch);
  }

  /** After the stream has started: what the listener sent then is what the provider holds now. */
  DictionaryReplacements(DictionaryProvider dictionaries, Sink stream) {
    this.dictionaries = dictionaries;
    this.stream = stream;
    for (long id : dictionaries.getDictionaryIds()) {
      FieldVector values = dictionaries.lookup(id).getVector();
      Sent s = new Sent();
      s.values = DictionaryValues.of(values);
      s.buffers.hold(values);
      sent.put(id, s);
    }
  }

  /** Sends each dictionary that differs from the one last sent, before the next batch goes. */
  void sendChanged() {
    for (Map.Entry<Long, Sent> e : sent.entrySet()) {
      FieldVector values = dictionaries.lookup(e.getKey()).getVector();
      Sent last = e.getValue();
      if (last.buffers.unchanged(values)) {
        continue;
      }
      last.buffers.hold(values);
      List<Object> now = DictionaryValues.of(values);
      if (now.equals(last.values)) {
        continue;
      }
      if (stream == null) {
        // Never the wrong values: without a way to send the new dictionary, the stream stops.
        throw CallStatus.INTERNAL.withDescription("dictionary " + e.getKey() + " changes between batches, and this "
            + "Arrow Flight build gives no way to send it again").toRuntimeException();
      }
      VectorSchemaRoot one = new VectorSchemaRoot(List.of(values.getField()), List.of(values), values.getValueCount());
      ArrowRecordBatch batch = new VectorUnloader(one, true, true).getRecordBatch(); // not one.close(): the vector is the provider's
      stream.putDictionary(new ArrowDictionaryBatch(e.getKey(), batch, false));
      last.values = now;
    }
  }

  /** Lets go of the dictionary buffers held since they were last compared. */
  @Override
  public void close() {
    sent.values().forEach(s -> s.buffers.close());
  }
}
