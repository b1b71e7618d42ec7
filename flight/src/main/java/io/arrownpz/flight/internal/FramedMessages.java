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
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowMessage;
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
  /**
   * Parts a body of many may still have when it shares runs smaller than {@link #SHARED_BYTES}. Measured: 3,000
   * shared columns of 8,000 bytes went out as fast as their copy; a body of 10,000 small parts (a wide frame's)
   * was slower than its copy, as Netty walks its parts for every frame it writes.
   */
  private static final int MAX_SHARED_PARTS = 4096;
  /** In a body of many parts, the size from which a run is always shared. */
  private static final int SHARED_BYTES = 64 << 10;
  /** In a body of many parts, the smallest size from which a run may be shared (see {@link #sharedFrom}). */
  private static final int MIN_SHARED_BYTES = 4 << 10;
  /** The length from which a run of small buffers takes no more ({@link #runs}). */
  private static final int MAX_RUN_BYTES = 1 << 20;
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
    return message(batch, batch.getBuffers(), batch::close);
  }

  /** The message for a dictionary batch, which it takes over as {@link #batch} does a record batch. */
  static ByteBuf dictionary(ArrowDictionaryBatch batch) {
    return message(batch, batch.getDictionary().getBuffers(), batch::close);
  }

  /** A message with a body; {@code close} closes what holds the body's buffers. */
  private static ByteBuf message(ArrowMessage batch, List<ArrowBuf> buffers, Runnable close) {
    List<Run> runs = runs(buffers);
    Body body = new Body(runs.size() > MAX_PARTS ? sharedFrom(runs) : 0);
    try {
      ByteBuffer header = MessageSerializer.serializeMetadata(batch, IpcOption.DEFAULT);
      long bodyBytes = 0;
      for (ArrowBuf b : buffers) {
        bodyBytes += padded(b.readableBytes());
      }
      body.parts.add(prefix(header, Math.toIntExact(bodyBytes)));
      for (Run run : runs) {
        body.add(run.address(), run.length());
      }
      return body.owning(close::run);
    } catch (RuntimeException e) {
      body.release();
      close.run();
      throw e;
    }
  }

  /** Memory that holds one or more of a body's buffers back to back, in the body's order. */
  private record Run(long address, long length) {}

  /**
   * The body's buffers as runs of memory: a small buffer (under {@link #SHARED_BYTES}) that starts where the
   * small one before it ends joins that one's run, if the run so far needs no padding (a multiple of 8 bytes
   * long) and is under {@link #MAX_RUN_BYTES}. The small columns of a transposed copy, or of one allocation,
   * are then a few runs, shared as they are: a square frame's 1,000 columns of 8,000 bytes were 1,000 buffers
   * too small to share in a body of so many parts, so all 8 MB of them were copied (a get 10-19% faster).
   * Large buffers stay parts of their own: joined into runs of megabytes, a tall frame's gets were 8% slower.
   */
  private static List<Run> runs(List<ArrowBuf> buffers) {
    List<Run> runs = new ArrayList<>();
    long start = 0;
    long end = -1;
    boolean small = false;
    for (ArrowBuf b : buffers) {
      long size = b.readableBytes();
      if (size == 0) {
        continue; // nothing in the body, not even padding
      }
      long address = b.memoryAddress() + b.readerIndex();
      boolean isSmall = size < SHARED_BYTES;
      if (address == end && small && isSmall && (end - start) % 8 == 0 && end - start < MAX_RUN_BYTES) {
        end += size;
        continue;
      }
      small = isSmall;
      if (end >= 0) {
        runs.add(new Run(start, end - start));
      }
      start = address;
      end = address + size;
    }
    if (end >= 0) {
      runs.add(new Run(start, end - start));
    }
    return runs;
  }

  /**
   * The size from which a body of many runs shares them rather than copying them: the smallest power of two
   * from {@link #MIN_SHARED_BYTES} to {@link #SHARED_BYTES} at which the body keeps within
   * {@link #MAX_SHARED_PARTS}. A square frame's columns of 8,000 bytes, between bitmaps elsewhere in
   * memory, are then sent from the file or kept copy as they are: copying all 8 MB cost 13-17% of a get.
   */
  private static long sharedFrom(List<Run> runs) {
    for (long from = MIN_SHARED_BYTES; from < SHARED_BYTES; from *= 2) {
      if (parts(runs, from) <= MAX_SHARED_PARTS) {
        return from;
      }
    }
    return SHARED_BYTES;
  }

  /**
   * The parts of a body whose runs of {@code from} bytes or more are shared and the others copied: a shared
   * run and its padding, each; copied runs between two shared ones, one part, and one more for every copy
   * buffer they fill.
   */
  private static int parts(List<Run> runs, long from) {
    int parts = 0;
    long copied = 0;
    boolean copying = false;
    for (Run run : runs) {
      boolean shared = run.length() >= from;
      if (shared) {
        parts += run.length() % 8 == 0 ? 1 : 2;
      } else {
        parts += copying ? 0 : 1;
        copied += padded(run.length());
      }
      copying = !shared;
    }
    return parts + (int) (copied / DirectBatches.COPIES.size());
  }

  /**
   * A message body as the parts of one gathering write, each run of buffers ({@link #runs}) followed by its
   * padding: a run shared as it is, or, in a body of more runs than a write takes, small runs copied
   * together into direct buffers lent by {@link DirectBatches#COPIES}.
   */
  private static final class Body {
    final List<ByteBuf> parts = new ArrayList<>();
    private final List<ByteBuffer> lent = new ArrayList<>();
    /** The size from which a run is shared; smaller ones are copied (0: every run shared). */
    private final long sharedFrom;
    /** The copy buffer being filled, or null. */
    private ByteBuffer copy;
    /** Where in {@link #copy} the part being filled starts (what comes before it is in earlier parts). */
    private int copyStart;

    Body(long sharedFrom) {
      this.sharedFrom = sharedFrom;
    }

    /** Adds {@code size} bytes at {@code address} (a run of the batch's buffers, which stay open) and their padding. */
    void add(long address, long size) {
      int pad = (int) (padded(size) - size);
      if (size >= sharedFrom) {
        endCopy();
        parts.add(Unpooled.wrappedBuffer(MemoryUtil.directBuffer(address, Math.toIntExact(size))));
        if (pad > 0) {
          parts.add(ZEROS.slice(0, pad));
        }
      } else {
        copy(address, size, pad);
      }
    }

    /** Copies the bytes and their padding's zeros, straight from their memory, into lent buffers. */
    private void copy(long address, long size, int pad) {
      for (long done = 0; done < size + pad; ) {
        if (copy == null || !copy.hasRemaining()) {
          endCopy();
          copy = DirectBatches.COPIES.take();
          copyStart = 0;
          lent.add(copy);
        }
        int n = (int) Math.min(copy.remaining(), size + pad - done);
        int data = (int) Math.max(0, Math.min(n, size - done));
        if (data > 0) {
          MemoryUtil.copyMemory(address + done, MemoryUtil.getByteBufferAddress(copy) + copy.position(), data);
          copy.position(copy.position() + data);
        }
        for (int i = data; i < n; i++) {
          copy.put((byte) 0);
        }
        done += n;
      }
    }

    /**
     * Adds what the copy buffer holds since its last part as a part; the rest of the buffer is filled by
     * the next copies, after a shared run (small runs between shared ones each took a whole buffer).
     */
    private void endCopy() {
      if (copy != null && copy.position() > copyStart) {
        parts.add(Unpooled.wrappedBuffer(copy.duplicate().limit(copy.position()).position(copyStart)));
        copyStart = copy.position();
      }
    }

    /** The parts as one message that closes {@code owner} and gives back the lent buffers once released. */
    ByteBuf owning(AutoCloseable owner) {
      endCopy();
      return new DirectBatches.OwningComposite(parts, owner, lent);
    }

    /** Gives back everything, for a message never made. */
    void release() {
      parts.forEach(ByteBuf::release);
      lent.forEach(DirectBatches.COPIES::giveBack);
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
