package io.arrownpz.flight.internal;

import io.grpc.Drainable;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.auth.ServerAuthHandler;
import org.apache.arrow.flight.auth.ServerAuthInterceptor;
import org.apache.arrow.flight.grpc.AddWritableBuffer;
import org.apache.arrow.flight.grpc.ServerBackpressureThresholdInterceptor;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The Flight service with DoGet's record batches handed to Netty as direct memory only, so that they
 * reach the socket without a copy.
 *
 * <p>Why: Arrow Java frames a batch as a composite of its body buffers (views of the mapped file or of
 * the batch's vectors) behind a small header that it builds on the heap, and pads odd lengths with heap
 * buffers too. Netty's socket channels write only direct memory; one heap part makes the whole composite
 * "not direct", and the channel then copies all of it, every byte of the batch, into a fresh direct
 * buffer before the system call (a DoGet of a 5 MB frame: a fifth of the server's CPU in that copy, plus
 * the page faults of first touching the file through the mapping and of the new buffer). Here only the
 * heap parts, a few hundred bytes a batch, are copied into direct memory; the body buffers go to the
 * socket as they are, in one gathering write.
 *
 * <p>The rest of the service is Arrow's own ({@link FlightGrpcUtils#createFlightService}, with the same
 * interceptors {@code FlightServer} puts in front of it); it replaces the one {@code FlightServer} adds
 * (a gRPC server keeps one service of a name, the last added). If Arrow's framing ever changes shape,
 * messages pass through unchanged, as before.
 */
public final class DirectBatches {
  /** The backpressure threshold {@code FlightServer.Builder} uses unless told otherwise. */
  private static final int BACKPRESSURE_BYTES = 10 << 20;
  /** Parts of a message above which its small ones are copied together. */
  private static final int MAX_PARTS = 256;
  /** In a message of many parts, the size from which a part is still shared. */
  private static final int SHARED_BYTES = 64 << 10;
  /**
   * Where copies of many small parts go: buffers of 1 MiB, up to 64 idle ones kept (enough for the
   * batches of several streams in flight under the 10 MiB backpressure threshold each).
   */
  static final CopyBuffers COPIES = new CopyBuffers(1 << 20, 64);
  /** The fields of Arrow's message stream that hold the framed message, and say whether it owns its buffers. */
  private static final Field FRAMED = streamField("buf");
  private static final Field ZERO_COPY = streamField("isZeroCopy");

  private DirectBatches() {}

  /** Arrow's Flight service over {@code producer}, DoGet's batches written from direct memory only. */
  public static ServerServiceDefinition service(BufferAllocator allocator, FlightProducer producer,
      ExecutorService executor) {
    ServerServiceDefinition arrows = ServerInterceptors.intercept(
        FlightGrpcUtils.createFlightService(allocator, producer, ServerAuthHandler.NO_OP, executor),
        new ServerBackpressureThresholdInterceptor(BACKPRESSURE_BYTES),
        new ServerAuthInterceptor(ServerAuthHandler.NO_OP));
    ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(arrows.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> method : arrows.getMethods()) {
      service.addMethod(direct(method));
    }
    return service.build();
  }

  /** DoGet with its responses made direct; any other method as it is. */
  private static <Q, R> ServerMethodDefinition<Q, R> direct(ServerMethodDefinition<Q, R> method) {
    if (!"DoGet".equals(method.getMethodDescriptor().getBareMethodName())) {
      return method;
    }
    MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor().toBuilder()
        .setResponseMarshaller(new DirectMarshaller<>(method.getMethodDescriptor().getResponseMarshaller()))
        .build();
    return ServerMethodDefinition.create(descriptor, method.getServerCallHandler());
  }

  /** Arrow's marshaller, its framed messages made direct. */
  private record DirectMarshaller<T>(Marshaller<T> arrows) implements Marshaller<T> {
    @Override
    public InputStream stream(T message) {
      if (message instanceof Framed framed) {
        return framed.stream();
      }
      return direct(arrows.stream(message));
    }

    @Override
    public T parse(InputStream stream) {
      return arrows.parse(stream);
    }
  }

  /**
   * A stream of the same bytes as {@code framed} (Arrow's stream of a framed message), backed by direct
   * memory only; {@code framed} itself when it is not the shape expected, or already direct.
   */
  static InputStream direct(InputStream framed) {
    CompositeByteBuf message = framedMessage(framed);
    if (message == null || message.isDirect()) {
      return framed;
    }
    return new DirectStream(directCopy(message, framed));
  }

  /**
   * The bytes of {@code message} in direct memory: its direct parts shared, its heap parts copied, and,
   * when it has more parts than a gathering write takes, its small parts copied together too; releasing
   * the result closes {@code owner}, which holds {@code message}.
   */
  static CompositeByteBuf directCopy(CompositeByteBuf message, InputStream owner) {
    ByteBuffer[] parts = message.nioBuffers(message.readerIndex(), message.readableBytes());
    boolean many = parts.length > MAX_PARTS;
    List<ByteBuf> direct = new ArrayList<>();
    List<ByteBuffer> lent = new ArrayList<>();
    for (int i = 0; i < parts.length; ) {
      if (shared(parts[i], many)) {
        direct.add(Unpooled.wrappedBuffer(parts[i++]));
        continue;
      }
      int end = i;
      long bytes = 0;
      while (end < parts.length && !shared(parts[end], many)) {
        bytes += parts[end++].remaining();
      }
      boolean kept = bytes >= SHARED_BYTES; // many small parts: kept buffers; a header: a small pooled one
      ByteBuf copy = null;
      for (; i < end; i++) {
        ByteBuffer part = parts[i];
        while (part.hasRemaining()) {
          if (copy == null || !copy.isWritable()) {
            if (copy != null) {
              direct.add(copy);
            }
            copy = kept ? lend(lent) : PooledByteBufAllocator.DEFAULT.directBuffer((int) bytes);
          }
          int n = Math.min(part.remaining(), copy.writableBytes());
          copy.writeBytes(part.duplicate().limit(part.position() + n));
          part.position(part.position() + n);
          bytes -= n;
        }
      }
      if (copy != null) {
        direct.add(copy);
      }
    }
    return new OwningComposite(direct, owner, lent);
  }

  /** An empty buffer from {@link #COPIES}, noted in {@code lent} to be given back with the message. */
  private static ByteBuf lend(List<ByteBuffer> lent) {
    ByteBuffer buffer = COPIES.take();
    lent.add(buffer);
    return Unpooled.wrappedBuffer(buffer).clear();
  }

  /**
   * Whether a part goes to the socket as it is: a direct one, unless the message has too many parts and
   * this one is small. Netty copies a message of more parts than one gathering write takes (1,024) whole
   * into fresh memory, and walks all its parts on every frame it writes: a frame of 10,000 columns is
   * better copied, in pooled buffers, its big parts still shared.
   */
  private static boolean shared(ByteBuffer part, boolean many) {
    return part.isDirect() && (!many || part.remaining() >= SHARED_BYTES);
  }

  /**
   * The framed message inside Arrow's stream, or null when it is not one, or when it does not hold
   * references to the buffers it frames (a stream not marked zero-copy is copied by gRPC at once, and
   * its buffers may be reused as soon as the call to send returns).
   */
  private static CompositeByteBuf framedMessage(InputStream framed) {
    if (FRAMED == null || ZERO_COPY == null || framed.getClass() != FRAMED.getDeclaringClass()) {
      return null;
    }
    try {
      return ZERO_COPY.getBoolean(framed) ? (CompositeByteBuf) FRAMED.get(framed) : null;
    } catch (IllegalAccessException | ClassCastException e) {
      return null;
    }
  }

  private static Field streamField(String name) {
    try {
      Field field = Class.forName("org.apache.arrow.flight.ArrowMessage$DrainableByteBufInputStream")
          .getDeclaredField(name);
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // another Arrow: its messages go out as they are
    }
  }

  /**
   * A DoGet message framed by us ({@link FramedMessages}) rather than by Arrow: sent by the marshaller as it
   * is. Written to the stream Arrow's listener writes to, in place of Arrow's own message type.
   */
  static final class Framed {
    private final ByteBuf bytes;
    private boolean streamed;

    Framed(ByteBuf bytes) {
      this.bytes = bytes;
    }

    InputStream stream() {
      streamed = true;
      return new DirectStream(bytes);
    }

    /** Gives the bytes back when gRPC never took them (the call had ended before the message was sent). */
    void releaseUnsent() {
      if (!streamed) {
        bytes.release();
      }
    }
  }

  /**
   * Direct parts that close what owns the memory they view once Netty has written them, and give the copy
   * buffers they filled back for reuse.
   */
  static final class OwningComposite extends CompositeByteBuf {
    private final AutoCloseable owner;
    private final List<ByteBuffer> lent;

    OwningComposite(List<ByteBuf> parts, AutoCloseable owner, List<ByteBuffer> lent) {
      super(PooledByteBufAllocator.DEFAULT, true, Integer.MAX_VALUE, parts);
      this.owner = owner;
      this.lent = lent;
    }

    @Override
    protected void deallocate() {
      super.deallocate();
      lent.forEach(COPIES::giveBack);
      try {
        owner.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * The message for gRPC: drained into gRPC's buffer chain without a copy (as Arrow's own stream is).
   * Not of known length on purpose: gRPC copies a stream of known length into a buffer of its own.
   */
  static final class DirectStream extends ByteBufInputStream implements Drainable {
    private final ByteBuf message;

    DirectStream(ByteBuf message) {
      super(message, message.readableBytes(), true);
      this.message = message;
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int size = message.readableBytes();
      AddWritableBuffer.add(message, target, true);
      return size;
    }
  }
}
