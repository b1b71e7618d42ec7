package io.arrownpz.flight.internal;

import io.grpc.stub.CallStreamObserver;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.apache.arrow.flight.OutboundStreamListener;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;

/**
 * Dictionary batches sent on an upload between Arrow's own messages. Arrow Java's put sends dictionaries
 * only when it starts and has no call for a replacement, though the protocol has one; its listener writes
 * Arrow's message type to a gRPC stream, which is reached here (the same field the DoGet side reaches)
 * along with the message's constructor. Where this Arrow is not shaped so, there is no sink, and uploads
 * send dictionary columns decoded.
 */
final class UploadDictionaries {
  private static final Field OBSERVER = field();
  private static final Constructor<?> MESSAGE = constructor();

  private UploadDictionaries() {}

  /** Whether this Arrow lets an upload send a dictionary after it started. */
  static boolean available() {
    return OBSERVER != null && MESSAGE != null;
  }

  /** The sink for {@code upload}'s stream, or null where it cannot be reached. */
  static DictionaryReplacements.Sink of(OutboundStreamListener upload) {
    if (!available() || !OBSERVER.getDeclaringClass().isInstance(upload)) {
      return null;
    }
    try {
      @SuppressWarnings("unchecked")
      CallStreamObserver<Object> observer = (CallStreamObserver<Object>) OBSERVER.get(upload);
      return observer == null ? null : batch -> send(observer, batch);
    } catch (IllegalAccessException | ClassCastException e) {
      return null;
    }
  }

  private static void send(CallStreamObserver<Object> observer, ArrowDictionaryBatch batch) {
    try (batch) {
      // The message holds the batch's buffers (retained) and gRPC holds them again until written; the
      // message is closed once handed over, as Arrow closes its own dictionary messages.
      AutoCloseable message = (AutoCloseable) MESSAGE.newInstance(batch, IpcOption.DEFAULT);
      try (message) {
        observer.onNext(message);
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot send a dictionary on this upload: " + e, e);
    }
  }

  private static Field field() {
    try {
      Field f = Class.forName("org.apache.arrow.flight.OutboundStreamListenerImpl").getDeclaredField("responseObserver");
      f.setAccessible(true);
      return CallStreamObserver.class.isAssignableFrom(f.getType()) ? f : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Constructor<?> constructor() {
    try {
      Constructor<?> c = Class.forName("org.apache.arrow.flight.ArrowMessage")
          .getConstructor(ArrowDictionaryBatch.class, IpcOption.class);
      c.setAccessible(true);
      return c;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
