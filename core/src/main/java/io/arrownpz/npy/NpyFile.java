package io.arrownpz.npy;

import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.internal.npy.HeaderCache;
import io.arrownpz.BadFileException;
import io.arrownpz.internal.io.PositionalReads;
import io.arrownpz.internal.io.SpareBuffers;
import io.arrownpz.internal.memory.BufferRegion;
import io.arrownpz.internal.memory.FileMappings;
import io.arrownpz.internal.memory.MappedRegion;
import io.arrownpz.internal.memory.RecycledBlocks;
import io.arrownpz.cache.ReadCache;
import io.arrownpz.input.InputFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/** Opens standalone {@code .npy} files: the header is read and checked first, then the file is mapped. */
public final class NpyFile {
  private NpyFile() {}

  /** Reads and validates only the header; nothing is mapped. */
  public static NpyHeader readHeader(Path path) throws IOException {
    try (FileChannel channel = openChannel(path)) {
      return NpyHeaderCodec.read(reader(channel), channel.size(), path.toString(), null);
    }
  }

  /** Reads and validates only the header of {@code file}, which the caller closes. */
  public static NpyHeader readHeader(InputFile file) throws IOException {
    return NpyHeaderCodec.read(reader(file), file.length(), file.name(), null);
  }

  /**
   * Validates the header and maps {@code file} when it is local, or reads it into native memory when not.
   * The caller closes the array, and {@code file}, which the array does not need.
   */
  public static NpyArray open(InputFile file) throws IOException {
    long size = file.length();
    NpyHeader header = NpyHeaderCodec.read(reader(file), size, file.name(), null, null);
    MappedRegion region = file.localPath() != null ? MappedRegion.map(file.localPath(), 0, size)
        : MappedRegion.read(file, 0, size, null);
    return new NpyArray(file.name(), header, region, header.dataOffset());
  }

  /** Validates the header and maps the file. The returned array must be closed. */
  public static NpyArray open(Path path) throws IOException {
    return open(path, (ReadCache) null);
  }

  /**
   * As {@link #open(Path)}, the file's mapping taken from {@code cache} (owned by the caller) when it keeps
   * one that is still valid, and kept there; null maps afresh.
   */
  public static NpyArray open(Path path, ReadCache cache) throws IOException {
    return open(path, FileMappings.of(cache));
  }

  /**
   * As {@link #open(Path)}, through the cache of {@code options}, or read into memory rather than mapped
   * ({@link io.arrownpz.ReadOptions#memoryMap()}).
   */
  public static NpyArray open(Path path, io.arrownpz.ReadOptions options) throws IOException {
    return open(path, FileMappings.of(options));
  }

  private static NpyArray open(Path path, FileMappings mappings) throws IOException {
    try (FileChannel channel = openChannel(path)) {
      long size = channel.size();
      NpyHeader header = NpyHeaderCodec.read(reader(channel), size, path.toString(), null, null);
      return mapped(path, header, size, mappings);
    }
  }

  /**
   * Rows {@code [from, from + count)} (along the first axis) of a C-order or 1-d {@code .npy}, mapping only
   * the pages that hold them: a task that reads one range of a file many times larger than memory maps no
   * more than its range. The header is read and checked as {@link #open(Path)} checks it. The caller closes
   * the array.
   */
  public static NpyArray openRows(Path path, long from, long count) throws IOException {
    try (InputFile file = InputFile.open(path)) {
      return openRows(file, from, count);
    }
  }

  /**
   * As {@link #openRows(Path, long, long)}, from {@code file}: mapped when local, else only the rows' bytes
   * read into native memory. The caller closes the array, and {@code file}, which the array does not need.
   */
  public static NpyArray openRows(InputFile file, long from, long count) throws IOException {
    NpyHeader header = NpyHeaderCodec.read(reader(file), file.length(), file.name(), null, null);
    String name = file.name();
    if (header.rank() < 1 || (header.rank() > 1 && header.fortranOrder())) {
      throw new IllegalArgumentException(name + ": row ranges are of C-order or 1-d arrays");
    }
    if (from < 0 || count < 0 || from > header.dim(0) - count) {
      throw new IndexOutOfBoundsException(name + ": no rows " + from + " to " + (from + count) + " in " + header);
    }
    long[] shape = header.shape();
    long rowBytes = header.dataBytes() / Math.max(1, shape[0]);
    shape[0] = count;
    NpyHeader window = new NpyHeader(header.majorVersion(), header.dtype(), header.fortranOrder(), shape, 0);
    long start = header.dataOffset() + from * rowBytes;
    MappedRegion region = file.localPath() != null ? MappedRegion.map(file.localPath(), start, count * rowBytes)
        : MappedRegion.read(file, start, count * rowBytes, null);
    return new NpyArray(name, window, region, 0);
  }

  /** What is read of a file first: all of a small one, with one call, without asking its size. */
  static final int FIRST_READ = 64 << 10;

  /**
   * Files up to this size are read into memory rather than mapped. A mapping's setup, its page faults (one
   * per 4 KiB page on first touch) and its retirement at close cost more than copying this many bytes into
   * a block kept from earlier reads: an NPY directory of 100 columns of 80 KB opened, summed and closed in
   * 3.4 ms read against 14.7 ms mapped, here. Larger files are mapped, their pages shared with the page
   * cache rather than copied.
   */
  static final long READ_RATHER_THAN_MAP = 1 << 20;

  /**
   * As {@link #open(Path)}, but a small file (up to {@link #READ_RATHER_THAN_MAP}, such as one column of an
   * NPY directory frame of some thousands of rows) is read whole into {@code allocator}'s memory instead of
   * mapped; one of up to {@link #FIRST_READ} with one open and one read.
   */
  static NpyArray open(Path path, HeaderCache cache, BufferAllocator allocator) throws IOException {
    return open(path, cache, allocator, header -> false);
  }

  /**
   * As {@link #open(Path, HeaderCache, BufferAllocator)}, and a file of any size is read whole rather than
   * mapped when {@code readWhole} says its array's bytes are only converted, never shared (a first touch of
   * each mapped page costs a fault that reading does not).
   */
  static NpyArray open(Path path, HeaderCache cache, BufferAllocator allocator,
      java.util.function.Predicate<NpyHeader> readWhole) throws IOException {
    return open(path, cache, allocator, readWhole, FileMappings.FRESH);
  }

  /** As {@link #open(Path, HeaderCache, BufferAllocator, java.util.function.Predicate)}, mapping through {@code mappings}. */
  static NpyArray open(Path path, HeaderCache cache, BufferAllocator allocator,
      java.util.function.Predicate<NpyHeader> readWhole, FileMappings mappings) throws IOException {
    try (FileChannel channel = openChannel(path)) {
      return open(path, channel, cache, allocator, readWhole, mappings);
    }
  }

  /**
   * As {@link #open(Path, HeaderCache, BufferAllocator, java.util.function.Predicate)}, from {@code channel}
   * already open on {@code path} (say, relative to a directory held open), which the caller closes. A small
   * file is read with one call, into a spare buffer first, without asking its size.
   *
   * <p>An array that {@code readWhole} picks (one whose every read makes something of its bytes: a
   * conversion, a transposed copy) is read into memory rather than touched through a mapping, as is every
   * file where {@code mappings} read into memory.
   */
  static NpyArray open(Path path, FileChannel channel, HeaderCache cache, BufferAllocator allocator,
      java.util.function.Predicate<NpyHeader> readWhole, FileMappings mappings) throws IOException {
    ByteBuffer first = SpareBuffers.take();
    try {
      first.limit(FIRST_READ + 1);
      int read = PositionalReads.readFully(channel, first, 0);
      first.flip();
      if (read <= FIRST_READ) { // the whole file: it ended before the buffer did
        NpyHeader header = NpyHeaderCodec.read(slices(first), read, path.toString(), null, cache);
        return copied(path, first, header, allocator);
      }
      long size = channel.size();
      NpyHeaderCodec.ByteReader fromFile = reader(channel);
      NpyHeaderCodec.ByteReader firstRead = slices(first);
      NpyHeader header = NpyHeaderCodec.read((position, length) -> position + length > read
          ? fromFile.read(position, length) // a header longer than what was read first
          : firstRead.read(position, length), size, path.toString(), null, cache);
      if (size > Integer.MAX_VALUE
          || size > READ_RATHER_THAN_MAP && !readWhole.test(header) && !mappings.readsIntoMemory()) {
        return mapped(path, header, size, mappings);
      }
      return readWhole(path, channel, size, header, allocator);
    } finally {
      SpareBuffers.give(first);
    }
  }

  /** Parts of {@code bytes} (from its start), as the header codec asks for them; short or empty past its end. */
  private static NpyHeaderCodec.ByteReader slices(ByteBuffer bytes) {
    int end = bytes.limit();
    return (position, length) -> position >= end ? ByteBuffer.allocate(0)
        : bytes.duplicate().position((int) position).limit((int) Math.min(end, position + length)).slice();
  }

  /** An array of a file already read whole into {@code bytes}, copied into allocator memory. */
  private static NpyArray copied(Path path, ByteBuffer bytes, NpyHeader header, BufferAllocator allocator) {
    long size = bytes.remaining();
    BufferRegion region = alignedRegion(size, allocator);
    try {
      region.view(0, (int) size).put(bytes);
      return new NpyArray(path.toString(), header, region, header.dataOffset());
    } catch (RuntimeException e) {
      region.close();
      throw e;
    }
  }

  /** An array of a file read whole from {@code channel} into allocator memory, its header already read. */
  private static NpyArray readWhole(Path path, FileChannel channel, long size, NpyHeader header,
      BufferAllocator allocator) throws IOException {
    BufferRegion region = alignedRegion(size, allocator);
    try {
      if (PositionalReads.readFully(channel, region.view(0, (int) size), 0) < size) {
        throw new BadFileException(path, null, "changed while it was read (shorter than " + size + " bytes)");
      }
      return new NpyArray(path.toString(), header, region, header.dataOffset());
    } catch (IOException | RuntimeException e) {
      region.close();
      throw e;
    }
  }

  /** {@code size} bytes of allocator memory, 64-byte aligned like a mapping's start (NPY data starts on a multiple of 64). */
  private static BufferRegion alignedRegion(long size, BufferAllocator allocator) {
    // A big file read whole is mostly converted and let go at once: a recycled block has its pages in
    // place already, where fresh memory would be faulted in page by page while the read fills it.
    ArrowBuf allocated = size + 64 >= RecycledBlocks.MIN_BYTES ? RecycledBlocks.buffer(allocator, size + 64)
        : allocator.buffer(size + 64);
    long shift = -allocated.memoryAddress() & 63;
    // The slice shares the allocation's one reference, which the region takes over.
    return new BufferRegion(allocated.slice(shift, Math.max(size, 1)), size);
  }

  /** The whole file mapped. */
  private static NpyArray mapped(Path path, NpyHeader header, long size, FileMappings mappings) throws IOException {
    MappedRegion region = mappings.mapWhole(path, size);
    return new NpyArray(path.toString(), header, region, header.dataOffset());
  }

  private static FileChannel openChannel(Path path) throws IOException {
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BadFileException(path, null, "no such file");
    }
  }

  private static NpyHeaderCodec.ByteReader reader(InputFile file) {
    return (position, length) -> {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      file.read(buffer, position);
      return buffer.flip();
    };
  }

  private static NpyHeaderCodec.ByteReader reader(FileChannel channel) {
    return (position, length) -> {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      PositionalReads.readFully(channel, buffer, position);
      return buffer.flip();
    };
  }
}
