package io.arrownpz.flight.internal;

import io.grpc.MethodDescriptor.Marshaller;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.apache.arrow.flight.impl.Flight;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow's own framing of Flight messages, for tests to compare ours with. Its message class is not public:
 * it is reached the way the service's gRPC reaches it, by its marshaller.
 */
final class ArrowFraming {
  private static final String MESSAGE = "org.apache.arrow.flight.ArrowMessage";

  private ArrowFraming() {}

  /** Arrow's message of a batch; it owns the batch's buffers until closed. */
  static AutoCloseable batchMessage(ArrowRecordBatch batch, boolean zeroCopy) throws Exception {
    Constructor<?> make = Class.forName(MESSAGE)
        .getConstructor(ArrowRecordBatch.class, ArrowBuf.class, boolean.class, IpcOption.class);
    make.setAccessible(true);
    return (AutoCloseable) make.newInstance(batch, null, zeroCopy, IpcOption.DEFAULT);
  }

  /** Arrow's schema message, as a DoGet starts with it (no descriptor). */
  static AutoCloseable schemaMessage(Schema schema) throws Exception {
    Constructor<?> make = Class.forName(MESSAGE)
        .getConstructor(Flight.FlightDescriptor.class, Schema.class, IpcOption.class);
    make.setAccessible(true);
    return (AutoCloseable) make.newInstance(null, schema, IpcOption.DEFAULT);
  }

  @SuppressWarnings("unchecked")
  static Marshaller<Object> marshaller(BufferAllocator allocator) throws Exception {
    Method create = Class.forName(MESSAGE).getMethod("createMarshaller", BufferAllocator.class);
    create.setAccessible(true);
    return (Marshaller<Object>) create.invoke(null, allocator);
  }

  static byte[] readAll(InputStream stream) throws IOException {
    try (stream) {
      return stream.readAllBytes();
    }
  }
}
