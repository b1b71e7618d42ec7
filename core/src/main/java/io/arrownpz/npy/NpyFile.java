package io.arrownpz.npy;

import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.internal.npy.HeaderCache;
import io.arrownpz.BadFileException;
import io.arrownpz.internal.io.PositionalReads;
import io.arrownpz.internal.io.SpareBuffers;
import io.arrownpz.internal.memory.BufferRegion;
import io.arrownpz.internal.io.FileState;
import io.arrownpz.internal.memory.KeptMappings;
import io.arrownpz.internal.memory.MappedRegion;
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

  /** Validates the header and maps the file. The returned array must be closed. */
  public static NpyArray open(Path path) throws IOException {
    return open(path, null);
  }

  /** As {@link #open(Path)}, parsing the header only if {@code cache} has not seen its text. */
  public static NpyArray open(Path path, HeaderCache cache) throws IOException {
    try (FileChannel channel = openChannel(path)) {
      return mapped(path, channel, cache);
    }
  }

  /** Files up to this size are read into memory rather than mapped: a mapping costs more than the copy. */
  static final long READ_RATHER_THAN_MAP = 64 << 10;

  /**
   * As {@link #open(Path, HeaderCache)}, but a small file (up to 64 KiB, such as one column of an NPY
   * directory frame of a few thousand rows) is read whole into {@code allocator}'s memory with one open and
   * one read, instead of opened twice and mapped; a frame of 6,000 such files opens several times faster.
   */
  public static NpyArray open(Path path, HeaderCache cache, BufferAllocator allocator) throws IOException {
    return open(path, cache, allocator, header -> false);
  }

  /**
   * As {@link #open(Path, HeaderCache, BufferAllocator)}, and a file of any size is read whole rather than
   * mapped when {@code readWhole} says its array's bytes are only converted, never shared (a first touch of
   * each mapped page costs a fault that reading does not).
   */
  public static NpyArray open(Path path, HeaderCache cache, BufferAllocator allocator,
      java.util.function.Predicate<NpyHeader> readWhole) throws IOException {
    try (FileChannel channel = openChannel(path)) {
      return open(path, channel, cache, allocator, readWhole);
    }
  }

  /**
   * As {@link #open(Path, HeaderCache, BufferAllocator, java.util.function.Predicate)}, from {@code channel}
   * already open on {@code path} (say, relative to a directory held open), which the caller closes. A small
   * file is read with one call, into a spare buffer first, without asking its size.
   *
   * <p>An array that {@code readWhole} picks (one whose every read makes something of its bytes: a
   * conversion, a transposed copy) is read into memory rather than touched through a mapping.
   */
  public static NpyArray open(Path path, FileChannel channel, HeaderCache cache, BufferAllocator allocator,
      java.util.function.Predicate<NpyHeader> readWhole) throws IOException {
    ByteBuffer first = SpareBuffers.take();
    try {
      first.limit((int) READ_RATHER_THAN_MAP + 1);
      int read = PositionalReads.readFully(channel, first, 0);
      first.flip();
      if (read <= READ_RATHER_THAN_MAP) { // the whole file: it ended before the buffer did
        NpyHeader header = NpyHeaderCodec.read(slices(first), read, path.toString(), null, cache);
        // Opened again, a small file is kept too, so that its next open is one statx (its conversion kept as
        // well, once it is named): mapped while there is room for mappings, else copied (once settled, while
        // there is room for copies). A file read once is only read: converting so few bytes again costs less
        // than the stat and second read that naming them would take.
        if (read > 0 && KeptMappings.SHARED.seenBefore(path)) {
          if (KeptMappings.SHARED.roomy()) {
            return mappedAndKept(path, header, read);
          }
          NpyArray kept = KeptMappings.SHARED.roomyForCopies() ? copiedAndKept(path, channel, cache, read) : null;
          if (kept != null) {
            return kept;
          }
        }
        return copied(path, first, header, allocator);
      }
      long size = channel.size();
      NpyHeaderCodec.ByteReader fromFile = reader(channel);
      NpyHeaderCodec.ByteReader firstRead = slices(first);
      NpyHeader header = NpyHeaderCodec.read((position, length) -> position + length > read
          ? fromFile.read(position, length) // a header longer than what was read first
          : firstRead.read(position, length), size, path.toString(), null, cache);
      if (!readWhole.test(header) || size > Integer.MAX_VALUE) {
        return mappedAndKept(path, header, size);
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
    ArrowBuf allocated = allocator.buffer(size + 64);
    long shift = -allocated.memoryAddress() & 63;
    // The slice shares the allocation's one reference, which the region takes over.
    return new BufferRegion(allocated.slice(shift, Math.max(size, 1)), size);
  }

  /** The header read from the open channel, then the whole file mapped. */
  private static NpyArray mapped(Path path, FileChannel channel, HeaderCache cache) throws IOException {
    long size = channel.size();
    return mapped(path, NpyHeaderCodec.read(reader(channel), size, path.toString(), null, cache), size);
  }

  /** The whole file mapped. */
  private static NpyArray mapped(Path path, NpyHeader header, long size) throws IOException {
    MappedRegion region = MappedRegion.map(path, 0, size);
    return new NpyArray(path.toString(), header, region, header.dataOffset());
  }

  /**
   * The whole file mapped as {@link #mapped(Path, NpyHeader, long)} maps it, and the mapping kept
   * ({@link KeptMappings}) for the next open of the file in the same state, which {@link #openKept} makes
   * with one {@code statx} and no open, read or new mapping. The mapping names the file's bytes by that
   * state once it has settled.
   */
  private static NpyArray mappedAndKept(Path path, NpyHeader header, long size) throws IOException {
    FileState state = FileState.current(path);
    if (state == null || state.size() != size) { // no state to be had, or the file changed since it was read
      return new NpyArray(path.toString(), header, MappedRegion.map(path, 0, size), header.dataOffset());
    }
    MappedRegion region = MappedRegion.mapInState(path, state);
    KeptMappings.SHARED.keep(key(path, state), region);
    return new NpyArray(path.toString(), header, region, header.dataOffset());
  }

  /**
   * The file as an earlier open mapped and kept it ({@link #mappedAndKept}), if it is still in the state it
   * had then: one {@code statx}, the header read from the mapping. Null otherwise, and without a system
   * call where nothing is kept for the path; the caller then opens it anew.
   */
  public static NpyArray openKept(Path path, HeaderCache cache) throws IOException {
    return openKept(path, cache, null);
  }

  /**
   * As {@link #openKept(Path, HeaderCache)}, with the file's state taken just before by the caller
   * ({@link FileState#current}), or null to take it here.
   */
  public static NpyArray openKept(Path path, HeaderCache cache, FileState stateNow) throws IOException {
    if (stateNow == null && !KeptMappings.SHARED.holdsPath(path)) {
      return null;
    }
    FileState state = stateNow != null ? stateNow : FileState.current(path);
    MappedRegion region = state == null ? null : KeptMappings.SHARED.get(key(path, state));
    if (region == null) {
      return null;
    }
    if (!region.namesState() && state.settled()) {
      region.close(); // mapped before the file settled: mapped again, to name its bytes
      return null;
    }
    try {
      // The header read from the region at an earlier open: a frame's open reads thousands of them again
      // otherwise, with the file's name spelled for each (its path's bytes decoded) though only an error
      // would show it.
      NpyHeader header = region.readAs() instanceof NpyHeader read ? read
          : region.readAs(headerOf(path, region, cache));
      return new NpyArray(path, header, region, header.dataOffset());
    } catch (IOException | RuntimeException e) {
      region.close();
      throw e;
    }
  }

  /**
   * The whole small file read again into memory of its own and kept as a copy ({@link KeptMappings#keepCopy})
   * for the next open of the file in the same state, which {@link #openKept} then makes with one statx: for
   * where more mappings may not be kept. Only for a settled state, taken before this read and still the
   * file's after it (the bytes read are then the ones it names); else null, and the caller uses what it read.
   */
  private static NpyArray copiedAndKept(Path path, FileChannel channel, HeaderCache cache, long size)
      throws IOException {
    FileState state = FileState.of(path);
    if (state == null || state.size() != size) {
      return null;
    }
    MappedRegion copy = MappedRegion.readInState(path, channel, state);
    if (copy == null) {
      return null;
    }
    try {
      if (!state.holdsAt(path)) {
        copy.close();
        return null;
      }
      // Read from the copy itself, so kept with it: the next open of the file in this state reads it no more.
      NpyHeader header = copy.readAs(headerOf(path, copy, cache));
      KeptMappings.SHARED.keepCopy(key(path, state), copy);
      return new NpyArray(path.toString(), header, copy, header.dataOffset());
    } catch (IOException | RuntimeException e) {
      copy.close();
      throw e;
    }
  }

  /** The header of the NPY file whose bytes {@code region} holds (mapped or copied). */
  private static NpyHeader headerOf(Path path, MappedRegion region, HeaderCache cache) throws IOException {
    long size = region.length();
    return NpyHeaderCodec.read((position, length) -> position >= size ? ByteBuffer.allocate(0)
        : region.view(position, (int) Math.min(length, size - position)), size, path.toString(), null, cache);
  }

  /**
   * What a kept mapping of {@code path} in {@code state} is found by: the whole state, status change time
   * included. The state holds the modification time, so the key's is left out: a {@code FileTime} hashes
   * through an {@code Instant} made for it, a cost paid on every open of each of thousands of files.
   */
  private static KeptMappings.Key key(Path path, FileState state) {
    return new KeptMappings.Key(path, state, state.size(), null);
  }

  /** Whether every read of the array is a transposed copy, and one that would be kept. */
  private static FileChannel openChannel(Path path) throws IOException {
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BadFileException(path, null, "no such file");
    }
  }

  private static NpyHeaderCodec.ByteReader reader(FileChannel channel) {
    return (position, length) -> {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      PositionalReads.readFully(channel, buffer, position);
      return buffer.flip();
    };
  }
}
