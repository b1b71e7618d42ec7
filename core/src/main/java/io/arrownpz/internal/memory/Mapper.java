package io.arrownpz.internal.memory;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Turns part of a file into read-only native memory. Chosen at run time, by platform and length, the way
 * Lucene picks its mapping provider:
 *
 * <ul>
 *   <li>{@code mmap} called through JNA, on Linux and macOS: one mapping of any length, so the vectors
 *       over a 4 GB array are still views of the file, and a release that a racing reader survives;
 *   <li>elsewhere, up to 2 GiB (Java 17's limit for one mapping), {@link FileChannel#map};
 *   <li>where neither works, the bytes are copied into native memory: slower, never a refusal.
 * </ul>
 */
abstract class Mapper {
  private Mapper() {}

  /** Maps {@code length} bytes of {@code file} from {@code offset}. */
  static Mapping map(Path file, long offset, long length) throws IOException {
    if (NativeMapper.AVAILABLE) {
      return NativeMapper.map(file, offset, length);
    }
    if (length <= MappedRegion.MAX_CHANNEL_MAPPING) {
      return channel(file, offset, length);
    }
    return copy(file, offset, length);
  }

  /** Maps through {@link FileChannel#map}: up to 2 GiB, on every platform. */
  static Mapping channel(Path file, long offset, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return channelMapping(channel.map(FileChannel.MapMode.READ_ONLY, offset, length), length);
    }
  }

  /**
   * Maps part of an open file copy-on-write: writes through the mapping change only this process's pages,
   * never the file. {@code nativeDescriptor} is the same file open for {@link NativeMapper}, or -1.
   */
  static Mapping mapPrivate(FileChannel channel, int nativeDescriptor, String description, long offset, long length)
      throws IOException {
    if (nativeDescriptor >= 0) {
      return NativeMapper.mapPrivate(nativeDescriptor, description, offset, length);
    }
    return channelMapping(channel.map(FileChannel.MapMode.PRIVATE, offset, length), length);
  }

  private static Mapping channelMapping(MappedByteBuffer buffer, long length) {
    long address = org.apache.arrow.memory.util.MemoryUtil.getByteBufferAddress(buffer);
    return new Mapping(address, length, buffer, () -> Unmapper.unmap(buffer), false, false);
  }

  /**
   * The first {@code length} bytes of the file open as {@code channel}, read into native memory of our own
   * ({@link #read}); null if the file ends before them.
   */
  static Mapping readWhole(FileChannel channel, long length) throws IOException {
    return read((into, position) -> io.arrownpz.internal.io.PositionalReads.readFully(channel, into, position), 0,
        length);
  }

  /** The bytes read into native memory of our own, for platforms that cannot map them. */
  static Mapping copy(Path file, long offset, long length) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Mapping copied = read((into, position) -> io.arrownpz.internal.io.PositionalReads.readFully(channel, into,
          position), offset, length);
      if (copied == null) {
        throw new IOException(file + ": ends before byte " + (offset + length));
      }
      return copied;
    }
  }

  /**
   * {@code length} bytes of a file from {@code offset}, read into native memory whose start is 64-byte
   * aligned, as a mapping's is, and freed when the mapping is released; null if the file ends first.
   */
  static Mapping read(Reads file, long offset, long length) throws IOException {
    long base = org.apache.arrow.memory.util.MemoryUtil.allocateMemory(length + 64);
    long address = base + (-base & 63);
    try {
      if (!file.readFully(offset, length, address)) {
        org.apache.arrow.memory.util.MemoryUtil.freeMemory(base);
        return null;
      }
    } catch (IOException | RuntimeException e) {
      org.apache.arrow.memory.util.MemoryUtil.freeMemory(base);
      throw e;
    }
    return new Mapping(address, length, null, () -> org.apache.arrow.memory.util.MemoryUtil.freeMemory(base), false,
        false);
  }
}
