package io.arrownpz.npy;

import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.internal.npy.HeaderCache;
import io.arrownpz.BadFileException;
import io.arrownpz.internal.memory.BufferRegion;
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
      long size = channel.size();
      if (size > READ_RATHER_THAN_MAP) {
        NpyHeader header = NpyHeaderCodec.read(reader(channel), size, path.toString(), null, cache);
        if (!readWhole.test(header) || size > Integer.MAX_VALUE) {
          return mapped(path, header, size);
        }
      }
      // 64-byte aligned like a mapping's start, so that columns (NPY data starts on a multiple of 64) are too.
      ArrowBuf allocated = allocator.buffer(size + 64);
      long shift = -allocated.memoryAddress() & 63;
      // The slice shares the allocation's one reference, which the region takes over.
      BufferRegion bytes = new BufferRegion(allocated.slice(shift, Math.max(size, 1)), size);
      try {
        ByteBuffer into = bytes.view(0, (int) size);
        while (into.hasRemaining()) {
          if (channel.read(into, into.position()) < 0) {
            throw new BadFileException(path, null, "changed while it was read (shorter than " + size + " bytes)");
          }
        }
        NpyHeader header = NpyHeaderCodec.read(
            (position, length) -> position >= size ? ByteBuffer.allocate(0)
                : bytes.view(position, (int) Math.min(length, size - position)),
            size, path.toString(), null, cache);
        return new NpyArray(path.toString(), header, bytes, header.dataOffset());
      } catch (IOException | RuntimeException e) {
        bytes.close();
        throw e;
      }
    }
  }

  /** The header read from the open channel, then the whole file mapped. */
  private static NpyArray mapped(Path path, FileChannel channel, HeaderCache cache) throws IOException {
    long size = channel.size();
    return mapped(path, NpyHeaderCodec.read(reader(channel), size, path.toString(), null, cache), size);
  }

  private static NpyArray mapped(Path path, NpyHeader header, long size) throws IOException {
    return new NpyArray(path.toString(), header, MappedRegion.map(path, 0, size), header.dataOffset());
  }

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
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          break;
        }
      }
      return buffer.flip();
    };
  }
}
