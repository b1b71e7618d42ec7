package io.arrownpz.npy;

import io.arrownpz.internal.npy.NpyHeaderCodec;
import io.arrownpz.internal.npy.HeaderCache;
import io.arrownpz.BadFileException;
import io.arrownpz.internal.memory.MappedRegion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
    NpyHeader header;
    long size;
    try (FileChannel channel = openChannel(path)) {
      size = channel.size();
      header = NpyHeaderCodec.read(reader(channel), size, path.toString(), null, cache);
    }
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
