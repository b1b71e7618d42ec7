package io.arrownpz.flight.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * DoGet's messages as they go on the wire, framed here rather than by Arrow's listener: a FlightData
 * protobuf holding the IPC message header (field 2) and, for a record batch, its body (field 1000), each
 * body buffer padded to 8 bytes, as Arrow Java frames them (C++ readers need the alignment).
 *
 * <p>Why: for a frame of 10,000 columns, Arrow's listener spent a fifth of the server's time building the
 * schema message again on every get (2.8 MB of flatbuffers with the NumPy and pandas metadata), and as much
 * again wrapping each of 20,000 small body buffers in a {@code ByteBuffer} made by reflection, before
 * {@link DirectBatches} copied them into direct memory anyway. Here a schema read again (a frame's layout
 * keeps its {@code Schema}) is framed once ({@link KeptSchemaMessages}), a batch's small buffers are copied
 * straight from vector memory into reused direct buffers, and its large ones go to the socket as they are.
 */
final class FramedMessages {
  /** FlightData's fields: the IPC message header, and the message body. */
  private static final int DATA_HEADER = 2;
  private static final int DATA_BODY = 1000;
  /** Parts of a body above which its small buffers are copied together (see {@link DirectBatches}). */
  private static final int MAX_PARTS = 256;
  /** In a body of many parts, the size from which a buffer is still shared. */
  private static final int SHARED_BYTES = 64 << 10;
  /** Zeros to pad buffers with; never released, so slices of it need no accounting. */
  private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(Unpooled.directBuffer(8).writeZero(8));

  private FramedMessages() {}

  /** The schema message for {@code schema}, in direct memory of its own (GC-managed, nothing to release). */
  static ByteBuffer schema(Schema schema) {
    ByteBuffer header = MessageSerializer.serializeMetadata(schema, IpcOption.DEFAULT);
    int size = CodedOutputStream.computeTagSize(DATA_HEADER) + CodedOutputStream.computeUInt32SizeNoTag(
        header.remaining()) + header.remaining();
    ByteBuffer framed = ByteBuffer.allocateDirect(size);
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(framed);
      out.writeTag(DATA_HEADER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(header.remaining());
      out.write(header.duplicate()); // its remaining bytes (writeRawBytes would write the whole capacity)
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown: the buffer was sized for the message
    }
    return framed.flip();
  }

  /**
   * The message for {@code batch}, which it takes over: the batch, and with it every buffer it holds, is
   * closed once the message has been written out (or released unsent).
   */
  static ByteBuf batch(ArrowRecordBatch batch) {
    List<ByteBuf> parts = new ArrayList<>();
    List<ByteBuffer> lent = new ArrayList<>();
    try {
      ByteBuffer header = MessageSerializer.serializeMetadata(batch, IpcOption.DEFAULT);
      List<ArrowBuf> buffers = batch.getBuffers();
      long body = 0;
      for (ArrowBuf b : buffers) {
        body += padded(b.readableBytes());
      }
      parts.add(prefix(header, Math.toIntExact(body)));
      boolean many = buffers.size() > MAX_PARTS;
      ByteBuffer copy = null;
      for (ArrowBuf b : buffers) {
        long size = b.readableBytes();
        int pad = (int) (padded(size) - size);
        if (size > 0 && (!many || size >= SHARED_BYTES)) {
          if (copy != null) {
            parts.add(Unpooled.wrappedBuffer(copy.flip()));
            copy = null;
          }
          parts.add(Unpooled.wrappedBuffer(b.nioBuffer(b.readerIndex(), Math.toIntExact(size))));
          if (pad > 0) {
            parts.add(ZEROS.slice(0, pad));
          }
          continue;
        }
        long done = 0;
        while (done < size + pad) {
          if (copy == null || !copy.hasRemaining()) {
            if (copy != null) {
              parts.add(Unpooled.wrappedBuffer(copy.flip()));
            }
            copy = DirectBatches.COPIES.take();
            lent.add(copy);
          }
          int n = (int) Math.min(copy.remaining(), size + pad - done);
          int data = (int) Math.max(0, Math.min(n, size - done));
          if (data > 0) {
            int limit = copy.limit();
            b.getBytes(b.readerIndex() + done, copy.limit(copy.position() + data));
            copy.limit(limit);
          }
          for (int i = data; i < n; i++) {
            copy.put((byte) 0);
          }
          done += n;
        }
      }
      if (copy != null) {
        parts.add(Unpooled.wrappedBuffer(copy.flip()));
      }
      return new DirectBatches.OwningComposite(parts, batch, lent);
    } catch (RuntimeException e) {
      parts.forEach(ByteBuf::release);
      lent.forEach(DirectBatches.COPIES::giveBack);
      batch.close();
      throw e;
    }
  }

  /** A body buffer's length with its padding to 8 bytes. */
  private static long padded(long size) {
    return (size + 7) & ~7L;
  }

  /** FlightData up to the body's bytes: the header field, then the body field's tag and length. */
  private static ByteBuf prefix(ByteBuffer header, int body) {
    int headerBytes = header.remaining();
    int size = CodedOutputStream.computeTagSize(DATA_HEADER) + CodedOutputStream.computeUInt32SizeNoTag(headerBytes)
        + headerBytes + CodedOutputStream.computeTagSize(DATA_BODY) + CodedOutputStream.computeUInt32SizeNoTag(body);
    ByteBuf prefix = PooledByteBufAllocator.DEFAULT.directBuffer(size);
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(prefix.nioBuffer(0, size));
      out.writeTag(DATA_HEADER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(headerBytes);
      out.write(header.duplicate()); // its remaining bytes (writeRawBytes would write the whole capacity)
      out.writeTag(DATA_BODY, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(body);
      out.flush();
    } catch (IOException | RuntimeException e) {
      prefix.release();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return prefix.writerIndex(size);
  }
}
