package io.arrownpz.npy;

import io.arrownpz.internal.io.SpareBuffers;
import io.arrownpz.internal.memory.BufferRegion;
import io.arrownpz.internal.memory.MappedRegion;
import io.arrownpz.internal.memory.Region;
import io.arrownpz.internal.memory.Transpose;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.LongFunction;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * One validated NPY array whose bytes lie in native memory: the mapping of a standalone {@code .npy}
 * file or of a STORED archive member, or an inflated member. Holds one reference to the mapping until closed; buffers handed out by
 * {@link #dataBuffer} hold their own.
 *
 * <p>Threads: its bytes may be read from many threads; its vectors outlive it (see {@code NumpyTables}).
 */
public final class NpyArray implements AutoCloseable {
  static {
    io.arrownpz.internal.npy.Internals.grant(new io.arrownpz.internal.npy.Internals.Arrays() {
      @Override
      public NpyArray array(String archive, String member, NpyHeader header, Region region,
          long dataStart) {
        return new NpyArray(archive, member, header, region, dataStart);
      }

      @Override
      public Region region(NpyArray array) {
        return array.region();
      }

      @Override
      public NpyArray open(java.nio.file.Path path, java.nio.channels.FileChannel channel,
          io.arrownpz.internal.npy.HeaderCache headers, BufferAllocator allocator,
          java.util.function.Predicate<NpyHeader> readWhole, io.arrownpz.internal.memory.FileMappings mappings)
          throws IOException {
        return NpyFile.open(path, channel, headers, allocator, readWhole, mappings);
      }

      @Override
      public NpyArray open(java.nio.file.Path path, io.arrownpz.internal.npy.HeaderCache headers,
          BufferAllocator allocator, java.util.function.Predicate<NpyHeader> readWhole,
          io.arrownpz.internal.memory.FileMappings mappings) throws IOException {
        return NpyFile.open(path, headers, allocator, readWhole, mappings);
      }
    });
  }

  /**
   * A String, a file's Path or a {@link Member}, turned into a name only when asked for: a frame's open
   * makes thousands of arrays.
   */
  private final Object source;
  /** For a column view of a 2-d array, its index (its name is made only when asked for), else -1. */
  private final int column;
  private final NpyHeader header;
  private final Region region;
  private final long dataStart;
  private boolean closed;

  /**
   * @param source how to name this array in messages: the file, and the member for archives
   * @param region a reference to the mapping that this array takes over (it is closed with the array)
   * @param dataStart offset in {@code region} of the first element
   */
  NpyArray(String source, NpyHeader header, Region region, long dataStart) {
    this((Object) source, -1, header, region, dataStart);
  }

  /** A file of its own, named by its path only when a message asks. */
  NpyArray(java.nio.file.Path file, NpyHeader header, Region region, long dataStart) {
    this((Object) file, -1, header, region, dataStart);
  }

  /** An archive's member: named {@code "archive: member"} in messages. */
  NpyArray(String archive, String member, NpyHeader header, Region region, long dataStart) {
    this(new Member(archive, member), -1, header, region, dataStart);
  }

  private NpyArray(Object source, int column, NpyHeader header, Region region, long dataStart) {
    this.source = source;
    this.column = column;
    this.header = header;
    this.region = region;
    this.dataStart = dataStart;
  }

  public String source() {
    return column < 0 ? source.toString() : source + "[:, " + column + "]";
  }

  private record Member(String archive, String member) {
    @Override
    public String toString() {
      return archive + ": " + member;
    }
  }

  public NpyHeader header() {
    return header;
  }

  public NpyDtype dtype() {
    return header.dtype();
  }

  /** Address of the first element in the mapping; valid while this array is open. */
  public long dataAddress() {
    return region.address() + dataStart;
  }

  Region region() {
    return region;
  }

  /**
   * Column {@code j} of a 2-d Fortran-order array as a 1-d array over the same memory (columns of such
   * arrays are contiguous). The view holds its own reference to the memory; the caller closes it.
   */
  public NpyArray fortranColumn(int j) {
    if (header.rank() != 2 || !header.fortranOrder()) {
      throw new IllegalArgumentException(source() + ": columns are views only of 2-d Fortran-order arrays");
    }
    long rows = header.dim(0);
    if (j < 0 || j >= header.dim(1)) {
      throw new IndexOutOfBoundsException(source() + ": no column " + j + " in " + header);
    }
    NpyHeader column = new NpyHeader(header.majorVersion(), header.dtype(), false, new long[] {rows}, 0);
    long start = dataStart + j * rows * header.dtype().itemSize();
    return new NpyArray(this.column < 0 ? source : source(), j, column, region.retain(), start);
  }

  /**
   * Rows {@code [from, from + count)} (indices along the first axis) as an array over the same memory: in
   * C order, and in any order for 1-d arrays, those rows are contiguous. The caller closes the view.
   */
  public NpyArray rows(long from, long count) {
    if (header.rank() < 1 || (header.rank() > 1 && header.fortranOrder())) {
      throw new IllegalArgumentException(source() + ": rows are views only of C-order or 1-d arrays");
    }
    if (from < 0 || count < 0 || from + count > header.dim(0)) {
      throw new IndexOutOfBoundsException(source() + ": no rows " + from + " to " + (from + count) + " in " + header);
    }
    long[] shape = header.shape();
    long rowBytes = header.dataBytes() / Math.max(1, shape[0]);
    shape[0] = count;
    NpyHeader window = new NpyHeader(header.majorVersion(), header.dtype(), header.fortranOrder(), shape, 0);
    return new NpyArray(source, column, window, region.retain(), dataStart + from * rowBytes);
  }

  /**
   * This 2-d array in Fortran order: itself (another reference) when it already is, otherwise a tiled
   * transposed copy in allocator memory. Either way its columns are then contiguous. The caller closes it.
   */
  public NpyArray inFortranOrder(BufferAllocator allocator) throws IOException {
    return inFortranOrder(allocator::buffer);
  }

  /**
   * As {@link #inFortranOrder(BufferAllocator)}, with a transposed copy's memory from {@code memory} (bytes
   * to a buffer the caller of that function owns; its content is written over), such as a slab that many
   * small copies share.
   */
  public NpyArray inFortranOrder(LongFunction<ArrowBuf> memory) throws IOException {
    if (header.rank() != 2) {
      throw new IllegalArgumentException(source() + ": only 2-d arrays have columns");
    }
    if (header.fortranOrder()) {
      return new NpyArray(source, -1, header, region.retain(), dataStart);
    }
    long rows = header.dim(0);
    long cols = header.dim(1);
    int itemSize = header.dtype().itemSize();
    NpyHeader fortranHeader = new NpyHeader(header.majorVersion(), header.dtype(), true, header.shape(), 0);
    long bytes = rows * cols * itemSize;
    if (bytes > LATE_READ_SAFE_BYTES) {
      // A copy too large for the pool of recycled blocks to keep when it is let go would be freed at the
      // close of its table, under a thread still reading it (the JVM ended). It is memory mapped for it
      // instead, released only once nothing reaches it, as a file's mapping is: that reader reads old
      // values. Smaller copies come from the pool, whose blocks are kept when let go. Not for every copy:
      // fresh mapped memory is faulted in page by page (8 MB: 14-38 ms here, against 4-8 ms for the whole
      // read of such a frame from recycled blocks).
      MappedRegion mapped = MappedRegion.anonymous(source + " (transposed)", bytes);
      if (mapped != null) {
        try {
          transposeInto(mapped.address(), memory);
          mapped.seal();
        } catch (IOException | RuntimeException e) {
          mapped.close();
          throw e;
        }
        return new NpyArray(source, -1, fortranHeader, mapped, 0);
      }
    }
    ArrowBuf copy = memory.apply(Math.max(bytes, 1));
    try {
      transposeInto(copy.memoryAddress(), memory);
    } catch (IOException | RuntimeException e) {
      copy.close();
      throw e;
    }
    return new NpyArray(source, -1, fortranHeader, new BufferRegion(copy, header.dataBytes()), 0);
  }

  /** Transposed copies past this size are mapped memory, safe for late reads ({@link #inFortranOrder}). */
  static final long LATE_READ_SAFE_BYTES = io.arrownpz.internal.memory.RecycledBlocks.MAX_IDLE_BYTES;

  /** Transposes this C-order 2-d array into {@code out}, from the file or the mapping as the region prefers. */
  private void transposeInto(long out, LongFunction<ArrowBuf> memory) throws IOException {
    if (region.prefersReads()) {
      transposeFromReads(header.dim(0), header.dim(1), out, memory);
    } else {
      Transpose.cToFortran(dataAddress(), header.dim(0), header.dim(1), header.dtype().itemSize(), out);
    }
  }

  /**
   * Transposes into {@code out} a band of rows at a time, each band read from the file into a spare buffer
   * that stays in the cache while it is transposed (read once, the mapping's pages would each cost a fault).
   * A big block is done in two halves at once, the second on the common pool: reading and copying it is
   * most of opening a tall frame, and neither half waits for the other.
   */
  private void transposeFromReads(long rows, long cols, long out, LongFunction<ArrowBuf> memory) throws IOException {
    int itemSize = header.dtype().itemSize();
    long rowBytes = cols * itemSize;
    long band = Math.max(1, Math.min(rows, Math.max(BAND_MIN_ROWS, BAND_BYTES / Math.max(1, rowBytes))));
    if (band * rowBytes > SpareBuffers.SIZE) {
      band = Math.max(1, SpareBuffers.SIZE / rowBytes);
    }
    if (band * rowBytes > SpareBuffers.SIZE) { // one row longer than a spare buffer: staged in memory of its own
      try (ArrowBuf staged = memory.apply(rowBytes)) {
        transposeBands(0, rows, rows, cols, 1, staged.memoryAddress(), out);
      }
      return;
    }
    long bands = (rows + band - 1) / band;
    if (rows * rowBytes < PARALLEL_BYTES || bands < 2 || !TWO_THREADS) {
      transposeStaged(0, rows, rows, cols, band, out);
      return;
    }
    long half = (bands + 1) / 2 * band;
    long step = band;
    ForkJoinTask<?> second = ForkJoinTask.adapt(() -> {
      transposeStaged(half, rows, rows, cols, step, out);
      return null;
    }).fork();
    Throwable failed = null;
    try {
      transposeStaged(0, half, rows, cols, band, out);
    } catch (IOException | RuntimeException e) {
      failed = e;
    }
    try {
      second.join(); // even when the first half failed: the second writes into out until it is done
    } catch (RuntimeException e) {
      Throwable cause = ioCause(e);
      if (failed == null) {
        failed = cause;
      } else {
        failed.addSuppressed(cause);
      }
    }
    if (failed instanceof IOException io) {
      throw io;
    }
    if (failed != null) {
      throw (RuntimeException) failed;
    }
  }

  /**
   * The I/O failure under what a joined task threw (the pool wraps it, and may wrap that again to show
   * both threads' stacks), else what it threw.
   */
  private static Throwable ioCause(RuntimeException thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return t;
      }
    }
    return thrown;
  }

  /** Rows {@code [from, to)} transposed through a spare buffer, {@code band} rows a read. */
  private void transposeStaged(long from, long to, long rows, long cols, long band, long out) throws IOException {
    ByteBuffer spare = SpareBuffers.take();
    try {
      transposeBands(from, to, rows, cols, band, MemoryUtil.getByteBufferAddress(spare), out);
    } finally {
      SpareBuffers.give(spare);
    }
  }

  private void transposeBands(long from, long to, long rows, long cols, long band, long staged, long out)
      throws IOException {
    int itemSize = header.dtype().itemSize();
    long rowBytes = cols * itemSize;
    for (long first = from; first < to; first += band) {
      long count = Math.min(band, to - first);
      region.read(dataStart + first * rowBytes, count * rowBytes, staged);
      Transpose.rowsToColumns(staged, rowBytes, first, count, rows, cols, itemSize, out);
    }
  }

  /** Blocks at least this big are transposed in two halves at once, where there are two processors. */
  private static final long PARALLEL_BYTES = 1L << 20;
  private static final boolean TWO_THREADS = Runtime.getRuntime().availableProcessors() > 1
      && ForkJoinPool.getCommonPoolParallelism() > 0;

  /** A band of rows read at a time: about this many bytes (half an L2 cache), and at least a few rows. */
  private static final long BAND_BYTES = 256 << 10;
  private static final long BAND_MIN_ROWS = 8;

  /** All the array's bytes as an Arrow buffer over the mapping, without a copy. The caller closes it. */
  public ArrowBuf dataBuffer(BufferAllocator allocator) {
    return region.wrap(allocator, dataStart, header.dataBytes());
  }

  /**
   * All the array's bytes copied into new {@code allocator} memory, read from the file where the region
   * can (see {@link Region#copy}): for data converted once and not kept. The caller closes it.
   */
  public ArrowBuf dataCopy(BufferAllocator allocator) throws IOException {
    return dataCopy(allocator::buffer);
  }

  /** As {@link #dataCopy(BufferAllocator)}, into a buffer from {@code memory} (bytes to a buffer the caller owns). */
  public ArrowBuf dataCopy(LongFunction<ArrowBuf> memory) throws IOException {
    return region.copy(memory, dataStart, header.dataBytes());
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      region.close();
    }
  }

  @Override
  public String toString() {
    return source() + " " + header;
  }
}
