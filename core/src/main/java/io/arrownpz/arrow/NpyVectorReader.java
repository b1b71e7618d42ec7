package io.arrownpz.arrow;

import io.arrownpz.internal.memory.AllValidBitmap;
import io.arrownpz.internal.arrow.BufferSlab;
import io.arrownpz.internal.arrow.ScratchBuffer;
import io.arrownpz.internal.arrow.VectorLoading;
import io.arrownpz.BadFileException;
import io.arrownpz.npy.Kind;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ExtensionTypeVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Turns an {@link NpyArray} into an Arrow vector. Little-endian numbers, datetimes with an Arrow unit,
 * complex parts, FixedSizeBinary and row-major tensors point into the mapping without a copy; everything
 * else (bools, strings, big-endian data, Fortran-order tensors, day dates) is converted in one pass
 * straight between native buffers.
 */
public final class NpyVectorReader {
  private static final long NAT = Long.MIN_VALUE;

  private final BufferAllocator allocator;
  private final NpyReadOptions options;
  private final BufferSlab slab; // a batch's shared small buffers, or null: each vector allocates its own
  private final ScratchBuffer scratch; // a batch's buffer for bytes converted and dropped, or null

  public NpyVectorReader(BufferAllocator allocator, NpyReadOptions options) {
    this(allocator, options, null);
  }

  private NpyVectorReader(BufferAllocator allocator, NpyReadOptions options, BufferSlab slab) {
    this.allocator = allocator;
    this.options = options;
    this.slab = slab;
    this.scratch = slab == null ? null : new ScratchBuffer(allocator);
  }

  public NpyVectorReader(BufferAllocator allocator) {
    this(allocator, NpyReadOptions.DEFAULTS);
  }

  /** Reads the array as a vector named {@code name}; the caller owns (and closes) the vector. */
  public FieldVector read(NpyArray array, String name) throws IOException {
    return read(array, name, false);
  }

  /**
   * Reads a frame's column or index level as a vector named {@code name}, its field recording the dtype but
   * not the shape ({@link NumpyArrowTypes#columnField}).
   */
  public FieldVector readColumn(NpyArray array, String name) throws IOException {
    return read(array, name, true);
  }

  private FieldVector read(NpyArray array, String name, boolean column) throws IOException {
    NpyHeader header = checkedHeader(array);
    Field field;
    try {
      field = column ? NumpyArrowTypes.columnField(name, header, options) : NumpyArrowTypes.field(name, header, options);
    } catch (ArithmeticException e) {
      throw new BadFileException(array.source(), null, "one row of shape " + NpyHeader.shapeText(header.shape())
          + " is too large for an Arrow list");
    }
    return convert(array, field);
  }

  /**
   * Reads the array into a vector of {@code field}, which must be the field {@link #read(NpyArray, String)}
   * made of an array with the same header (a frame layout seen before keeps them): working a field out
   * again, with its metadata map, is a good part of opening a column. A field recorded for another dtype is
   * refused.
   */
  public FieldVector read(NpyArray array, Field field) throws IOException {
    NpyHeader header = checkedHeader(array);
    if (!header.dtype().descr().equals(field.getMetadata().get(NumpyMetadata.DESCR))) {
      throw new IllegalArgumentException(array.source() + ": field " + field + " was not made for dtype "
          + header.dtype().descr());
    }
    return convert(array, field);
  }

  /** A batch of reads whose small buffers share allocations; the caller closes it after the last read. */
  public Batch batch() {
    return new Batch(new NpyVectorReader(allocator, options, new BufferSlab(allocator)));
  }

  /**
   * Reads many arrays in a row, such as the columns of a wide frame, cutting their small validity and bool
   * bitmaps from shared allocations ({@link BufferSlab}) rather than allocating each, and reading bytes
   * that are only converted (bools, strings) into one reused buffer ({@link ScratchBuffer}). One thread at
   * a time; close it after the last read (the vectors it made stay valid, each holding its part).
   */
  public static final class Batch implements AutoCloseable {
    private final NpyVectorReader reader;

    private Batch(NpyVectorReader reader) {
      this.reader = reader;
    }

    /** As {@link NpyVectorReader#read(NpyArray, String)}. */
    public FieldVector read(NpyArray array, String name) throws IOException {
      return reader.read(array, name);
    }

    /** As {@link NpyVectorReader#readColumn(NpyArray, String)}. */
    public FieldVector readColumn(NpyArray array, String name) throws IOException {
      return reader.readColumn(array, name);
    }

    /** As {@link NpyVectorReader#read(NpyArray, Field)}. */
    public FieldVector read(NpyArray array, Field field) throws IOException {
      return reader.read(array, field);
    }

    /**
     * Memory for data that this batch's vectors will point into, such as a small block transposed for
     * them: cut from the shared allocations when small, as their bitmaps are. Content left as it is; the
     * caller closes its reference.
     */
    public ArrowBuf buffer(long bytes) {
      return reader.slab.buffer(bytes);
    }

    @Override
    public void close() {
      reader.slab.close();
      reader.scratch.close();
    }
  }

  private static NpyHeader checkedHeader(NpyArray array) throws BadFileException {
    NpyHeader header = array.header();
    long count = header.elementCount();
    if (count > Integer.MAX_VALUE) {
      throw new BadFileException(array.source(), null, count + " elements exceed the " + Integer.MAX_VALUE
          + " that one Arrow vector can hold");
    }
    return header;
  }

  private FieldVector convert(NpyArray array, Field field) throws IOException {
    NpyHeader header = array.header();
    FieldVector vector = field.createVector(allocator);
    try (ArrowBuf flat = rowMajorLittleEndian(array)) {
      FieldVector elements = elementVector(vector);
      // The array's name only for an error: built per column, it was most of what a wide frame's open allocated.
      loadElements(elements, array.dtype(), flat, (int) header.elementCount(), array::source);
      if (header.rank() >= 2) {
        loadAllValid(storage(vector), (int) header.dim(0));
      }
      return vector;
    } catch (IOException | RuntimeException e) {
      vector.close();
      throw e;
    }
  }

  /**
   * The data as Arrow wants it: a view of the mapping when it already is row-major and little-endian,
   * otherwise a converted copy in allocator memory.
   */
  private ArrowBuf rowMajorLittleEndian(NpyArray array) throws IOException {
    NpyHeader header = array.header();
    NpyDtype dtype = header.dtype();
    boolean transpose = header.fortranOrder() && header.rank() >= 2;
    if (!transpose && !dtype.isBigEndian()) {
      // Bytes that are converted, not shared, are read from the file: cheaper than faulting their pages in.
      if (!convertedWhole(dtype)) {
        return array.dataBuffer(allocator);
      }
      return scratch != null ? array.dataCopy(scratch::take) : array.dataCopy(allocator);
    }
    long bytes = header.dataBytes();
    ArrowBuf ordered = transpose
        ? Layouts.fortranToC(array.dataAddress(), header.shape(), dtype.itemSize(), allocator)
        : null;
    if (!dtype.isBigEndian()) {
      return ordered;
    }
    long src = ordered != null ? ordered.memoryAddress() : array.dataAddress();
    try {
      return Layouts.byteSwapped(src, bytes, dtype.swapUnit(), allocator);
    } finally {
      if (ordered != null) {
        ordered.close();
      }
    }
  }

  /**
   * Whether loading an array with this header turns every byte into something else, so that no vector ever
   * points into the array's bytes: bools packed, strings decoded, a C-order 2-d block transposed.
   */
  public static boolean convertsWhole(NpyHeader header) {
    return convertedWhole(header.dtype()) || (header.rank() == 2 && !header.fortranOrder());
  }

  /** Whether loading turns every byte into something else (so no vector ever points into the data). */
  private static boolean convertedWhole(NpyDtype dtype) {
    return switch (dtype.kind()) {
      case BOOL, UNICODE -> true;
      default -> false;
    };
  }

  /** The vector that holds the flat elements: below the tensor's and the complex number's lists. */
  private static FieldVector elementVector(FieldVector vector) {
    FieldVector v = vector;
    if (v instanceof ExtensionTypeVector<?> ext) {
      v = (FieldVector) ext.getUnderlyingVector();
      v = ((FixedSizeListVector) v).getDataVector();
    }
    return v;
  }

  private static FixedSizeListVector storage(FieldVector vector) {
    return (FixedSizeListVector) ((ExtensionTypeVector<?>) vector).getUnderlyingVector();
  }

  private void loadElements(FieldVector target, NpyDtype dtype, ArrowBuf data, int count, Supplier<String> source)
      throws IOException {
    switch (dtype.kind()) {
      case INT, UINT, FLOAT -> loadWithoutNulls(target, count, data);
      case COMPLEX -> {
        loadAllValid((FixedSizeListVector) target, count);
        loadFixed(((FixedSizeListVector) target).getDataVector(), count * 2, 0, null, data);
      }
      case BOOL -> loadBool(target, data, count);
      case DATETIME, TIMEDELTA -> loadTemporal(target, dtype, data, count, source);
      case UNICODE -> Utf32Decoder.load(target, data.memoryAddress(), count, dtype.width(), allocator, source);
      case BYTES, VOID -> {
        if (target.getField().getType() instanceof ArrowType.FixedSizeBinary) {
          loadFixed(target, count, 0, null, data);
        } else {
          BinaryLoader.load(target, data.memoryAddress(), count, dtype.itemSize(), dtype.kind() == Kind.BYTES, allocator);
        }
      }
    }
  }

  /** Loads a fixed-width vector from a validity bitmap (null: all valid) and a data buffer it will share. */
  static void loadFixed(FieldVector target, int count, long nullCount, ArrowBuf validity, ArrowBuf data) {
    VectorLoading.load(target, count, nullCount, validity, data);
  }

  static void loadAllValid(FixedSizeListVector list, int count) {
    List<ArrowBuf> buffers = new ArrayList<>(1);
    buffers.add(null);
    VectorLoading.load(list, count, 0, buffers);
  }

  /**
   * Loads a fixed-width vector without nulls over {@code data}; in a batch its all-valid bitmap is cut from
   * the shared ones (given with the null count unknown, which is how Arrow takes a bitmap as it is).
   */
  private void loadWithoutNulls(FieldVector target, int count, ArrowBuf data) {
    long bitBytes = AllValidBitmap.bytesFor(count);
    if (slab == null || count == 0 || bitBytes >= BufferSlab.MAX_BUFFER) {
      loadFixed(target, count, 0, null, data);
      return;
    }
    try (ArrowBuf valid = slab.allValid(bitBytes)) {
      loadFixed(target, count, UNKNOWN_NULL_COUNT, valid, data);
    }
  }

  private static final long UNKNOWN_NULL_COUNT = -1;

  private ArrowBuf zeroedBitmap(long bytes) {
    if (slab != null) {
      return slab.zeroed(bytes);
    }
    ArrowBuf bitmap = allocator.buffer(bytes);
    bitmap.setZero(0, bytes);
    return bitmap;
  }

  private void loadBool(FieldVector target, ArrowBuf bytes, int count) {
    long bitBytes = AllValidBitmap.bytesFor(count);
    try (ArrowBuf bits = zeroedBitmap(bitBytes)) {
      BoolPacking.pack(bytes.memoryAddress(), count, bits.memoryAddress());
      loadWithoutNulls(target, count, bits);
    }
  }

  private void loadTemporal(FieldVector target, NpyDtype dtype, ArrowBuf data, int count, Supplier<String> source)
      throws IOException {
    long src = data.memoryAddress();
    long bitBytes = AllValidBitmap.bytesFor(count);
    try (ArrowBuf validity = allocator.buffer(bitBytes)) {
      validity.setZero(0, bitBytes);
      long nulls = 0;
      long bits = validity.memoryAddress();
      for (int i = 0; i < count; i++) {
        if (MemoryUtil.getLong(src + 8L * i) == NAT) {
          nulls++;
        } else {
          long at = bits + (i >>> 3);
          MemoryUtil.putByte(at, (byte) (MemoryUtil.getByte(at) | (1 << (i & 7))));
        }
      }
      if (target.getField().getType() instanceof ArrowType.Date) {
        try (ArrowBuf days = toDays(data, count, source)) {
          loadFixed(target, count, nulls, nulls == 0 ? null : validity, days);
        }
      } else {
        loadFixed(target, count, nulls, nulls == 0 ? null : validity, data);
      }
    }
  }

  /** Narrows int64 day counts to Arrow's int32 Date32, refusing dates it cannot hold. */
  private ArrowBuf toDays(ArrowBuf data, int count, Supplier<String> source) throws IOException {
    ArrowBuf days = allocator.buffer(4L * count);
    long src = data.memoryAddress();
    long dst = days.memoryAddress();
    for (int i = 0; i < count; i++) {
      long v = MemoryUtil.getLong(src + 8L * i);
      if (v == NAT) {
        v = 0;
      } else if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        days.close();
        throw new BadFileException(source.get(), null, "element " + i + " (" + v
            + " days) is outside the range of an Arrow Date32");
      }
      MemoryUtil.putInt(dst + 4L * i, (int) v);
    }
    return days;
  }
}
