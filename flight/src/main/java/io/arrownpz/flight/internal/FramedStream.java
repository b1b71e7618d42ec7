package io.arrownpz.flight.internal;

import io.arrownpz.bridge.internal.Tables;
import io.grpc.stub.CallStreamObserver;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Field;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A DoGet stream written with messages framed by {@link FramedMessages}, through the same gRPC stream as
 * Arrow's listener writes to (so its flow control, cancellation and completion stay Arrow's): the schema
 * message once, then each batch straight from its vectors.
 */
final class FramedStream {
  /** Schema messages of up to 16 schemas, 64 MiB in all. */
  private static final KeptSchemaMessages SCHEMAS = new KeptSchemaMessages(16, 64L << 20);
  /** The gRPC stream inside Arrow's listener; null when this Arrow's listener does not have one there. */
  private static final Field OBSERVER = observerField();

  private final CallStreamObserver<Object> observer;

  private FramedStream(CallStreamObserver<Object> observer) {
    this.observer = observer;
  }

  /**
   * The stream of {@code listener} for a table of {@code schema}, or null where Arrow's listener is to frame
   * it: a table with dictionaries (Arrow sends them after the schema and tracks their ids), or an Arrow
   * whose listener is not shaped as this one expects.
   */
  static FramedStream of(ServerStreamListener listener, Schema schema, DictionaryProvider dictionaries) {
    // A schema kept was checked when it was first framed: the walk of its fields is for new ones only.
    if (!dictionaries.getDictionaryIds().isEmpty() || !SCHEMAS.holds(schema) && Tables.hasDictionary(schema.getFields())) {
      return null;
    }
    return beside(listener);
  }

  /**
   * The gRPC stream of {@code listener} whatever the table, for messages sent between Arrow's own (a
   * dictionary that changes mid-stream), or null where it cannot be reached.
   */
  static FramedStream beside(ServerStreamListener listener) {
    if (OBSERVER == null || !OBSERVER.getDeclaringClass().isInstance(listener)) {
      return null;
    }
    try {
      @SuppressWarnings("unchecked")
      CallStreamObserver<Object> observer = (CallStreamObserver<Object>) OBSERVER.get(listener);
      return observer == null ? null : new FramedStream(observer);
    } catch (IllegalAccessException | ClassCastException e) {
      return null;
    }
  }

  /** Sends a dictionary batch (taken over: closed once written). */
  void putDictionary(ArrowDictionaryBatch batch) {
    send(new DirectBatches.Framed(FramedMessages.dictionary(batch)));
  }

  /** Sends the schema message: the one kept for {@code schema} when it was served before. */
  void start(Schema schema) {
    send(new DirectBatches.Framed(Unpooled.wrappedBuffer(SCHEMAS.framed(schema))));
  }

  /**
   * Sends every row of {@code table} as one batch, without the bitmaps of columns that have no nulls; its
   * buffers are held until the batch is written.
   */
  void putNext(VectorSchemaRoot table) {
    ArrowRecordBatch batch = AllValidBitmaps.unloaded(table);
    send(new DirectBatches.Framed(FramedMessages.batch(batch)));
  }

  private void send(DirectBatches.Framed message) {
    try {
      observer.onNext(message);
    } catch (RuntimeException e) {
      message.releaseUnsent();
      throw e;
    }
  }

  private static Field observerField() {
    try {
      Field field = Class.forName("org.apache.arrow.flight.OutboundStreamListenerImpl")
          .getDeclaredField("responseObserver");
      field.setAccessible(true);
      return CallStreamObserver.class.isAssignableFrom(field.getType()) ? field : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // another Arrow: its listener frames every message
    }
  }
}
