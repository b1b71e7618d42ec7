package io.arrownpz.internal.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * A read-only memory mapping of part of a file, shared by everything that points into it.
 *
 * <p>The region is reference counted. Opening it takes one reference; {@link #retain()} takes more (an
 * NPY array inside an archive, say), and every Arrow buffer made by {@link #wrap} holds one until Arrow
 * releases that buffer. The region dies with its last reference, so vectors stay readable after the file
 * handle that made them is closed, in whatever order the caller closes things.
 *
 * <p>A reader racing a close must never touch unmapped memory (a JVM crash where heap memory would give
 * an exception). Where the platform maps through {@link NativeMapper}, the memory is retired at the last
 * release into pages a late read survives. Elsewhere it is unmapped only once nothing can reach the
 * region, which covers every reader that still holds a buffer.
 */
public final class MappedRegion implements Region {
  /** {@link FileChannel#map} is limited to this many bytes at a time; longer mappings go through mmap. */
  static final long MAX_CHANNEL_MAPPING = Integer.MAX_VALUE;

  private final String description;
  private final Mapping mapping; // null when the region is empty
  private final long address;
  private final long length;
  private volatile ByteBuffer addressView;
  /** Set once {@link #seal()} made anonymous memory read-only: its bytes can no longer change. */
  private volatile boolean sealed;
  private final AtomicInteger references = new AtomicInteger(1);
  /** While set, wraps for its allocator are slices of one buffer ({@link #shareWraps}). */
  private final AtomicReference<SharedWraps> sharing = new AtomicReference<>();

  /**
   * Releases a mapping whose late reads are not safe once nothing can reach its region any more, not at
   * its last release: a thread that read a vector's buffer just before another thread closed the vector
   * may still be reading through it. Every Arrow buffer over the region reaches it (buffer, ledger,
   * allocation), so it stays mapped while any reader holds one.
   */
  private static final Cleaner UNMAPPER = Cleaner.create();

  private MappedRegion(String description, Mapping mapping, long length) {
    this.description = description;
    this.mapping = mapping;
    this.address = mapping == null ? 0 : mapping.address();
    this.length = length;
    if (mapping != null && !mapping.lateReadsSafe()) {
      UNMAPPER.register(this, mapping::release);
    }
  }

  /** Maps {@code length} bytes of {@code file} from {@code offset}, read-only, whatever the length. */
  public static MappedRegion map(Path file, long offset, long length) throws IOException {
    if (length == 0) {
      return new MappedRegion(file.toString(), null, 0);
    }
    return new MappedRegion(file.toString(), Mapper.map(file, offset, length), length);
  }

  /**
   * {@code length} bytes of {@code file} from {@code offset} read into native memory of the region's own:
   * for a file on another file system, which cannot be mapped. {@code member} names the part in messages.
   */
  public static MappedRegion read(io.arrownpz.input.InputFile file, long offset, long length, String member)
      throws IOException {
    return read(file::read, file.name(), offset, length, member);
  }

  /** As {@link #read(io.arrownpz.input.InputFile, long, long, String)}, through {@code reads} of file {@code name}. */
  static MappedRegion read(Reads reads, String name, long offset, long length, String member) throws IOException {
    String description = member == null ? name : name + ": " + member;
    if (length == 0) {
      return new MappedRegion(description, null, 0);
    }
    Mapping copied = Mapper.read(reads, offset, length);
    if (copied == null) {
      throw new io.arrownpz.BadFileException(name, member, "ends before byte " + (offset + length));
    }
    return new MappedRegion(description, copied, length);
  }

  /**
   * {@code length} bytes of {@code file} from {@code offset} read into memory of the region's own (a block
   * kept from earlier reads where there is one), rather than mapped: a reader that touches every byte pays
   * one copy of it instead of a page fault for every page, which costs more where faults are dear (a
   * virtual machine's). The region is not a view of the file: later changes to the file do not show.
   */
  public static MappedRegion load(Path file, long offset, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return load((into, position) -> io.arrownpz.internal.io.PositionalReads.readFully(channel, into, position),
          file.toString(), offset, length, null);
    }
  }

  /**
   * As {@link #load(Path, long, long)}, through {@code reads} of file {@code name} (an archive open already);
   * {@code member} names the part in messages. A part under {@link RecycledBlocks#MIN_BYTES} is read into
   * memory of its own, freed once nothing reaches the region: a block of the pool would waste most of itself.
   */
  public static MappedRegion load(Reads reads, String name, long offset, long length, String member)
      throws IOException {
    String description = member == null ? name : name + ": " + member;
    if (length == 0) {
      return new MappedRegion(description, null, 0);
    }
    if (length < RecycledBlocks.MIN_BYTES) {
      return read(reads, name, offset, length, member);
    }
    Mapping block = RecycledBlocks.mapping(length);
    try {
      if (!reads.readFully(offset, length, block.address())) {
        throw new io.arrownpz.BadFileException(name, member, "changed while it was read (ends before byte "
            + (offset + length) + ")");
      }
    } catch (IOException | RuntimeException e) {
      block.release();
      throw e;
    }
    return new MappedRegion(description, block, length);
  }

  /**
   * Maps part of an open channel copy-on-write: writes through the mapping change only this process's
   * pages, never the file. The channel must be open for reading and writing; {@code nativeDescriptor} is
   * the same file open for {@link NativeMapper}, or -1.
   */
  static MappedRegion mapPrivate(FileChannel channel, int nativeDescriptor, String description, long offset,
      long length) throws IOException {
    if (length == 0) {
      return new MappedRegion(description, null, 0);
    }
    return new MappedRegion(description, Mapper.mapPrivate(channel, nativeDescriptor, description, offset, length),
        length);
  }

  /**
   * {@code length} bytes of new zeroed memory, writable at {@link #address()} until {@link #seal()}, for a
   * copy shared afterwards like a mapping (it counts against no allocator; the buffers {@link #wrap} makes
   * count against theirs); null where the platform cannot map through {@link NativeMapper}.
   */
  public static MappedRegion anonymous(String description, long length) throws IOException {
    if (!NativeMapper.AVAILABLE || length == 0) {
      return null;
    }
    return new MappedRegion(description, NativeMapper.anonymous(length), length);
  }

  /**
   * Makes memory from {@link #anonymous} read-only, as a mapped file is: a write into it then ends the
   * process instead of changing what every other reader of it sees.
   */
  public void seal() throws IOException {
    NativeMapper.seal(mapping);
    sealed = true;
  }

  /** Bytes of a sealed region: equal when of the same region object, offset and length. */
  private record SealedBytes(MappedRegion region, long offset, long length) {}

  /** Maps a whole file. */
  public static MappedRegion mapFile(Path file) throws IOException {
    long size;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      size = channel.size();
    }
    return map(file, 0, size);
  }

  @Override
  public long address() {
    requireLive();
    return address;
  }

  @Override
  public long length() {
    return length;
  }

  /**
   * Whether the region is a shared, read-only mapping of its file: the file's own pages, so that every
   * read through it sees what the file holds at that moment, never a copy made earlier.
   */
  public boolean viewsFile() {
    return mapping != null && mapping.pagesDroppable();
  }

  /** Whether some reference still holds the mapping. */
  @Override
  public boolean isLive() {
    return references.get() > 0;
  }

  /** Takes one more reference; pair it with {@link #close()}. */
  @Override
  public MappedRegion retain() {
    while (true) {
      int n = references.get();
      if (n <= 0) {
        throw new IllegalStateException(description + ": mapping already released");
      }
      if (references.compareAndSet(n, n + 1)) {
        return this;
      }
    }
  }

  /**
   * Gives up one reference. After the last one the region is dead (its API refuses use), and the
   * mapping is released: at once where late reads are safe, else once nothing can reach it (see
   * {@link #UNMAPPER}).
   */
  @Override
  public void close() {
    int n = references.decrementAndGet();
    if (n < 0) {
      throw new IllegalStateException(description + ": mapping released more often than retained");
    }
    if (n == 0 && mapping != null && mapping.lateReadsSafe()) {
      mapping.release();
    }
  }

  /**
   * An Arrow buffer over {@code [offset, offset + len)} of this region, without copying. The buffer is
   * accounted to {@code allocator} and keeps the mapping alive until Arrow releases it.
   */
  @Override
  public ArrowBuf wrap(BufferAllocator allocator, long offset, long len) {
    checkRange(offset, len);
    if (len == 0) {
      return allocator.getEmpty();
    }
    SharedWraps shared = sharing.get();
    ArrowBuf slice = shared == null ? null : shared.slice(allocator, offset, len);
    return slice != null ? slice : allocate(allocator, offset, len);
  }

  /**
   * Until the result is closed, buffers wrapped for {@code allocator} are slices of one buffer over the
   * whole region (see {@link SharedWraps}): for reads that wrap many small pieces, such as the columns of
   * a wide frame. Nothing is shared (the result does nothing) while another stretch is open, or when the
   * allocator could not account for the whole region.
   */
  @Override
  public SharedWraps shareWraps(BufferAllocator allocator) {
    if (mapping == null || sharing.get() != null || allocator.getHeadroom() < length) {
      return SharedWraps.NONE;
    }
    SharedWraps shared = new SharedWraps(this, allocator, allocate(allocator, 0, length));
    if (!sharing.compareAndSet(null, shared)) {
      shared.close();
      return SharedWraps.NONE;
    }
    return shared;
  }

  void endSharing(SharedWraps shared) {
    sharing.compareAndSet(shared, null);
  }

  /** An allocation of its own over part of the region, holding a reference to it. */
  private ArrowBuf allocate(BufferAllocator allocator, long offset, long len) {
    retain();
    try {
      return allocator.wrapForeignAllocation(new RegionSlice(this, address + offset, len));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Tells the system that {@code [offset, offset + len)} will not be read again soon: its resident pages
   * are handed back where the mapping allows (a file mapped read-only and shared), so that a reader that
   * goes through a file once holds memory for what it reads now, not for all it has read. Buffers over
   * the range stay valid: their pages are read from the file again when touched.
   */
  public void dropResidentPages(long offset, long len) {
    checkRange(offset, len);
    if (len > 0) {
      mapping.dropResidentPages(offset, len);
    }
  }

  /** A little-endian view of part of the region for parsing; valid only while a reference is held. */
  @Override
  public ByteBuffer view(long offset, int len) {
    checkRange(offset, len);
    if (len == 0) {
      return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    }
    ByteBuffer whole = wholeView();
    ByteBuffer view = whole != null ? whole.slice((int) offset, len) : MemoryUtil.directBuffer(address + offset, len);
    return view.order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * One buffer over the whole region when it fits one, made once: slicing it is cheap, while a buffer at a
   * raw address is made by reflection (an archive of 6,000 members asks for 12,000 views on open).
   */
  private ByteBuffer wholeView() {
    ByteBuffer whole = mapping.buffer();
    if (whole != null || length > Integer.MAX_VALUE) {
      return whole;
    }
    whole = addressView;
    if (whole == null) {
      whole = MemoryUtil.directBuffer(address, (int) length);
      addressView = whole; // racing threads make equal views; either one will do
    }
    return whole;
  }

  private void checkRange(long offset, long len) {
    requireLive();
    if (offset < 0 || len < 0 || offset > length - len) {
      throw new IndexOutOfBoundsException(description + ": range [" + offset + ", " + (offset + len)
          + ") outside the mapped " + length + " bytes");
    }
  }

  private void requireLive() {
    if (references.get() <= 0) {
      throw new IllegalStateException(description + ": mapping already released");
    }
  }

  @Override
  public String toString() {
    return "MappedRegion[" + description + ", " + length + " bytes]";
  }

  /** The piece of a mapping that one Arrow buffer owns: releasing it gives back one region reference. */
  private static final class RegionSlice extends ForeignAllocation {
    private final MappedRegion region;

    RegionSlice(MappedRegion region, long address, long size) {
      super(size, address);
      this.region = region;
    }

    @Override
    protected void release0() {
      region.close();
    }
  }
}
