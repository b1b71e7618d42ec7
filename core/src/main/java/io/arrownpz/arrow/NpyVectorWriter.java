package io.arrownpz.arrow;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Writes an Arrow vector as an NPY array, in NumPy's own header spelling, with values streamed from the
 * Arrow buffers: unconverted columns straight from their memory, the others through a small reusable
 * native buffer.
 */
public final class NpyVectorWriter implements NpyOutput {
  private static final int CHUNK = 1 << 20;
  /** The most bytes written through one buffer view of Arrow memory. */
  private static final int VIEW_BYTES = 1 << 30;

  private final NpyDtype dtype;
  private final long[] shape;
  private final boolean fortranOrder;
  private final ElementEncoder encoder;
  private byte[] header; // see encodedHeader()

  private NpyVectorWriter(NpyDtype dtype, long[] shape, boolean fortranOrder, ElementEncoder encoder) {
    this.dtype = dtype;
    this.shape = shape;
    this.fortranOrder = fortranOrder;
    this.encoder = encoder;
  }

  /**
   * Plans the NPY form of a vector: its dtype (the recorded one when the field carries it), shape and
   * order. Fails with {@link UnsupportedDataException} for types and nulls NumPy cannot hold.
   */
  public static NpyVectorWriter of(FieldVector vector) {
    return of(vector, vector.getField().getName());
  }

  /**
   * As {@link #of(FieldVector)}, with refusals naming {@code column}: the values of a list column are a
   * child vector whose own name is Arrow's, not the user's.
   */
  public static NpyVectorWriter of(FieldVector vector, String column) {
    Field field = vector.getField();
    FieldVector elements = vector;
    long[] shape = {vector.getValueCount()};
    if (vector instanceof ExtensionTypeVector<?> ext && ext.getField().getType() instanceof FixedShapeTensorType t) {
      long[] inner = t.shape();
      shape = new long[inner.length + 1];
      shape[0] = vector.getValueCount();
      System.arraycopy(inner, 0, shape, 1, inner.length);
      elements = ((FixedSizeListVector) ext.getUnderlyingVector()).getDataVector();
      if (vector.getNullCount() > 0) {
        throw new UnsupportedDataException(column, "null tensors have no NumPy form");
      }
    } else if (vector instanceof FixedSizeListVector rows && !isComplex(field)) {
      // A plain fixed-size list is a 2-d array: one row per list.
      shape = new long[] {rows.getValueCount(), rows.getListSize()};
      elements = rows.getDataVector();
      if (rows.getNullCount() > 0) {
        throw new UnsupportedDataException(column, "null rows have no NumPy form");
      }
    } else if (NumpyMetadata.wasZeroDimensional(field) && vector.getValueCount() == 1) {
      shape = new long[0];
    }
    NpyDtype recorded = NumpyMetadata.descr(field);
    NpyDtype dtype = NumpyArrowTypes.dtypeFor(elements, recorded, column);
    ElementEncoder encoder = encoderFor(elements, dtype, column);
    boolean fortran = shape.length >= 2 && NumpyMetadata.fortranOrder(field);
    return new NpyVectorWriter(dtype, shape, fortran, encoder);
  }

  /**
   * A 1-d column whose dtype the caller has already worked out (a frame groups its columns by dtype;
   * for strings, working it out means scanning all the text).
   */
  public static NpyVectorWriter of(FieldVector column, NpyDtype dtype) {
    return new NpyVectorWriter(dtype, new long[] {column.getValueCount()}, false,
        encoderFor(column, dtype, column.getName()));
  }

  private static boolean isComplex(Field field) {
    NpyDtype recorded = NumpyMetadata.descr(field);
    return recorded != null && recorded.kind() == io.arrownpz.npy.Kind.COMPLEX;
  }

  static ElementEncoder encoderFor(FieldVector v, NpyDtype dtype, String column) {
    return switch (dtype.kind()) {
      case BOOL -> Encoders.bool((BitVector) v, column);
      case UNICODE -> Encoders.utf32(v, dtype, column);
      case BYTES, VOID -> Encoders.fixedBytes(v, dtype, column);
      case COMPLEX -> {
        FixedSizeListVector pairs = (FixedSizeListVector) v;
        if (pairs.getNullCount() > 0) {
          throw new UnsupportedDataException(column, "null complex numbers have no NumPy form");
        }
        yield Encoders.complex(Encoders.fixedWidth(pairs.getDataVector(), dtype, column));
      }
      default -> Encoders.fixedWidth(v, dtype, column);
    };
  }

  public NpyDtype dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  public boolean fortranOrder() {
    return fortranOrder;
  }

  /** The header bytes, padded so that the data starts on a 64-byte boundary. */
  @Override
  public byte[] header() {
    return encodedHeader().clone();
  }

  /** Encoded once: a writer asks for the header's length before it writes it. */
  private byte[] encodedHeader() {
    if (header == null) {
      header = NpyHeaderCodec.encode(dtype, fortranOrder, shape);
    }
    return header;
  }

  /** Bytes of data after the header. */
  public long dataBytes() {
    return encoder.count() * dtype.itemSize();
  }

  /** Total bytes of the NPY file. */
  @Override
  public long totalBytes() {
    return encodedHeader().length + dataBytes();
  }

  /** Writes the whole NPY stream (header then data) to a channel. */
  @Override
  public void writeTo(WritableByteChannel channel) throws IOException {
    writeFully(channel, ByteBuffer.wrap(encodedHeader()));
    writeData(channel);
  }

  private void writeData(WritableByteChannel channel) throws IOException {
    writeElements(channel, encoder, dtype, fortranOrder ? new FortranOrder(shape) : null);
  }

  /**
   * Writes every element of {@code encoder} in the dtype's byte order: straight from Arrow memory when
   * the encoder allows and no reordering is asked, otherwise through a reusable native buffer.
   *
   * @param order the row-major index to write at each output position, or null for row-major order
   */
  static void writeElements(WritableByteChannel channel, ElementEncoder encoder, NpyDtype dtype,
      PositionOrder order) throws IOException {
    long count = encoder.count();
    if (count == 0) {
      return;
    }
    long address = order == null ? encoder.contiguousAddress() : 0;
    if (address != 0) {
      writeMemory(channel, address, count * dtype.itemSize());
      return;
    }
    int item = dtype.itemSize();
    // Sized to the data when that is smaller: a fresh direct buffer is zeroed, and wide tables write
    // thousands of small columns.
    long wanted = Math.min(count * item, CHUNK - CHUNK % Math.max(item, 1));
    ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.max(wanted, item)).order(dtype.byteOrder());
    for (long i = 0; i < count; i++) {
      if (chunk.remaining() < item) {
        writeFully(channel, chunk.flip());
        chunk.clear();
      }
      encoder.put(order == null ? i : order.next(), chunk);
    }
    writeFully(channel, chunk.flip());
  }

  /**
   * Writes {@code bytes} of memory from {@code address} in buffer views of at most {@link #VIEW_BYTES}: a view
   * holds under 2 GiB, and a bigger column went element by element through a chunk instead (a 4 GiB array
   * took 4 s to write where NumPy takes 1.6).
   */
  static void writeMemory(WritableByteChannel channel, long address, long bytes) throws IOException {
    for (long done = 0; done < bytes; ) {
      int length = (int) Math.min(bytes - done, VIEW_BYTES);
      writeFully(channel, MemoryUtil.directBuffer(address + done, length));
      done += length;
    }
  }

  static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** Gives, for each position of the output, the row-major index of the element to write there. */
  interface PositionOrder {
    long next();
  }

  /** Column-major output: the first axis moves fastest. An odometer, so no division per element. */
  private static final class FortranOrder implements PositionOrder {
    private final long[] shape;
    private final long[] cStride;
    private final long[] index;
    private long current;
    private boolean started;

    FortranOrder(long[] shape) {
      this.shape = shape;
      this.cStride = new long[shape.length];
      long s = 1;
      for (int axis = shape.length - 1; axis >= 0; axis--) {
        cStride[axis] = s;
        s *= shape[axis];
      }
      this.index = new long[shape.length];
    }

    @Override
    public long next() {
      if (!started) {
        started = true;
        return current;
      }
      for (int axis = 0; axis < shape.length; axis++) {
        index[axis]++;
        current += cStride[axis];
        if (index[axis] < shape[axis]) {
          return current;
        }
        current -= cStride[axis] * shape[axis];
        index[axis] = 0;
      }
      return current;
    }
  }

  @Override
  public String toString() {
    return "NpyVectorWriter[" + dtype + ", " + Arrays.toString(shape) + (fortranOrder ? ", fortran" : "") + "]";
  }
}
