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
  public NpyArray(String source, NpyHeader header, Region region, long dataStart) {
    this((Object) source, -1, header, region, dataStart);
  }

  /** A file of its own, named by its path only when a message asks. */
  public NpyArray(java.nio.file.Path file, NpyHeader header, Region region, long dataStart) {
    this((Object) file, -1, header, region, dataStart);
  }

  /** An archive's member: named {@code "archive: member"} in messages. */
  public NpyArray(java.nio.file.Path archive, String member, NpyHeader header, Region region, long dataStart) {
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

  private record Member(java.nio.file.Path archive, String member) {
    @Override
    public String toString() {
      return archive + ": " + member;
    }
  }

  public NpyHeader header() {
    return header;
  }

  /**
   * What names this array's bytes for as long as they are what they are ({@link Region#contentKey}), so that
   * what is made of them can be kept and shared; null where nothing does. Keep what was made only if
   * {@link #asOpened()} once it is made.
   */
  public Object contentKey() {
    return region.contentKey(dataStart, header.dataBytes());
  }

  /** Whether the file under this array still looks as it did when opened ({@link Region#asOpened}). */
  public boolean asOpened() {
    return region.asOpened();
  }

  /**
   * Whether the files under all of {@code arrays} still look as they did when opened: asked once of each
   * file (or archive) they come from, however many arrays it holds.
   */
  public static boolean allAsOpened(List<NpyArray> arrays) {
    java.util.Set<Object> asked = new java.util.HashSet<>();
    for (NpyArray a : arrays) {
      Object from = a.region.openedFrom();
      if (from != null && asked.add(from) && !a.region.asOpened()) {
        return false;
      }
    }
    return true;
  }

  public NpyDtype dtype() {
    return header.dtype();
  }

  /** Address of the first element in the mapping; valid while this array is open. */
  public long dataAddress() {
    return region.address() + dataStart;
  }

  public Region region() {
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
    ArrowBuf copy = memory.apply(Math.max(rows * cols * itemSize, 1));
    try {
      transposeInto(copy.memoryAddress(), memory);
    } catch (IOException | RuntimeException e) {
      copy.close();
      throw e;
    }
    NpyHeader fortran = new NpyHeader(header.majorVersion(), header.dtype(), true, header.shape(), 0);
    return new NpyArray(source, -1, fortran, new BufferRegion(copy, header.dataBytes()), 0);
  }

  /**
   * As {@link #inFortranOrder(LongFunction)}, for an array read whole: a C-order array whose bytes were
   * transposed before, unchanged since (an archive member of a file opened again), shares the copy made
   * then ({@link KeptTranspositions}, read-only, as a mapped file is), and a new copy is kept for the next
   * read. Arrays whose bytes have no name, and copies too small or too large to keep, are made in
   * {@code memory} as by {@code inFortranOrder}.
   */
  public NpyArray inFortranOrderKept(LongFunction<ArrowBuf> memory) throws IOException {
    NpyArray kept = keptInFortranOrder(memory);
    return kept != null ? kept : inFortranOrder(memory);
  }

  /**
   * The whole array in Fortran order as a kept copy ({@link KeptTranspositions}): the one made before from
   * the same unchanged bytes, or one made and kept now. Null where no copy would be kept (bytes with no name,
   * a copy too small or too large to keep), and nothing is transposed then. A reader of windows of rows
   * takes its windows from this copy (views), so the first window pays for the whole and later ones, and
   * later reads, for nothing.
   */
  public NpyArray keptInFortranOrder(LongFunction<ArrowBuf> memory) throws IOException {
    return keptInFortranOrder(memory, true);
  }

  /** The kept copy {@link #keptInFortranOrder} would give, if one was made before; null, and none made, if not. */
  public NpyArray keptInFortranOrderIfMade() throws IOException {
    return keptInFortranOrder(null, false);
  }

  private NpyArray keptInFortranOrder(LongFunction<ArrowBuf> memory, boolean make) throws IOException {
    long bytes = header.dataBytes();
    Object source = header.rank() != 2 || header.fortranOrder() || !KeptTranspositions.SHARED.keeps(bytes)
        ? null : region.contentKey(dataStart, bytes);
    if (source == null) {
      return null;
    }
    KeptTranspositions.Key key = new KeptTranspositions.Key(source, header.dtype(), header.dim(0), header.dim(1));
    MappedRegion copy = KeptTranspositions.SHARED.get(key);
    if (copy == null) {
      if (!make) {
        return null;
      }
      copy = KeptTranspositions.SHARED.make(key, bytes, this.source + " (transposed)", out -> transposeInto(out, memory),
          region::asOpened);
      if (copy == null) {
        return null;
      }
    }
    NpyHeader fortran = new NpyHeader(header.majorVersion(), header.dtype(), true, header.shape(), 0);
    return new NpyArray(this.source, -1, fortran, copy, 0);
  }

  /**
   * The small C-order 2-d arrays among {@code arrays} (each under {@link KeptTranspositions#MIN_BYTES}, too
   * small to keep alone: the hundreds or thousands of blocks of a frame with many dtypes), in Fortran order,
   * read whole: all of them in one piece of memory kept for the next read of the same bytes, as
   * {@link #inFortranOrderKept} keeps one large array. A list parallel to {@code arrays}, null where an array
   * is not one of them; or null when they are not kept together (bytes with no name, too few or too many
   * bytes in all). The caller closes every array in it.
   */
  public static List<NpyArray> inFortranOrderKeptTogether(List<NpyArray> arrays, LongFunction<ArrowBuf> memory)
      throws IOException {
    if (arrays.isEmpty()) {
      return null;
    }
    List<KeptTranspositions.Key> parts = new ArrayList<>();
    long[] offsets = new long[arrays.size()];
    long total = 0;
    for (int i = 0; i < arrays.size(); i++) {
      NpyArray a = arrays.get(i);
      NpyHeader h = a.header;
      long bytes = h.dataBytes();
      offsets[i] = -1;
      if (h.rank() != 2 || h.fortranOrder() || bytes == 0 || bytes >= KeptTranspositions.MIN_BYTES) {
        continue;
      }
      Object source = a.region.contentKey(a.dataStart, bytes);
      if (source == null) {
        return null;
      }
      parts.add(new KeptTranspositions.Key(source, h.dtype(), h.dim(0), h.dim(1)));
      offsets[i] = total;
      total += (bytes + 63) & ~63L; // each copy on a 64-byte boundary, as Arrow aligns buffers
    }
    if (parts.isEmpty() || !KeptTranspositions.SHARED.keeps(total)) {
      return null;
    }
    KeptTranspositions.Together key = new KeptTranspositions.Together(parts);
    MappedRegion copies = KeptTranspositions.SHARED.get(key);
    if (copies == null) {
      copies = KeptTranspositions.SHARED.make(key, total, arrays.get(0).source + " (small blocks transposed)", base -> {
        for (int i = 0; i < arrays.size(); i++) {
          if (offsets[i] >= 0) {
            arrays.get(i).transposeInto(base + offsets[i], memory);
          }
        }
      }, () -> allAsOpened(arrays));
      if (copies == null) {
        return null;
      }
    }
    List<NpyArray> out = new ArrayList<>(arrays.size());
    try (MappedRegion held = copies) {
      for (int i = 0; i < arrays.size(); i++) {
        NpyArray a = arrays.get(i);
        if (offsets[i] < 0) {
          out.add(null);
          continue;
        }
        NpyHeader fortran = new NpyHeader(a.header.majorVersion(), a.header.dtype(), true, a.header.shape(), 0);
        out.add(new NpyArray(a.source, -1, fortran, held.retain(), offsets[i]));
      }
    } catch (RuntimeException e) {
      out.stream().filter(Objects::nonNull).forEach(NpyArray::close);
      throw e;
    }
    return out;
  }

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
