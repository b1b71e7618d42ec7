package io.arrownpz.internal.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Turns part of a file into read-only native memory. Chosen at run time, by length and platform, the way
 * Lucene picks its mapping provider:
 *
 * <ul>
 *   <li>up to 2 GiB, {@link FileChannel#map} (Java 17's limit for one mapping);
 *   <li>past that, {@code mmap} called through JNA, on Linux and macOS: one mapping of any length, so
 *       the vectors over a 4 GB array are still views of the file;
 *   <li>where neither works, the bytes are copied into native memory: slower, never a refusal.
 * </ul>
 */
abstract class Mapper {
  private Mapper() {}

  /** Maps {@code length} bytes of {@code file} from {@code offset}. */
  static Mapping map(Path file, long offset, long length) throws IOException {
    if (length <= MappedRegion.MAX_CHANNEL_MAPPING) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        return channelMapping(channel.map(FileChannel.MapMode.READ_ONLY, offset, length), length);
      }
    }
    if (NativeMapper.AVAILABLE) {
      return NativeMapper.map(file, offset, length);
    }
    return copy(file, offset, length);
  }

  static Mapping channelMapping(MappedByteBuffer buffer, long length) {
    long address = org.apache.arrow.memory.util.MemoryUtil.getByteBufferAddress(buffer);
    return new Mapping(address, length, buffer, () -> Unmapper.unmap(buffer));
  }

  /** The bytes read into native memory of our own, for platforms that cannot map them. */
  static Mapping copy(Path file, long offset, long length) throws IOException {
    long address = org.apache.arrow.memory.util.MemoryUtil.allocateMemory(length);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      for (long done = 0; done < length; ) {
        int chunk = (int) Math.min(1 << 30, length - done);
        ByteBuffer target = org.apache.arrow.memory.util.MemoryUtil.directBuffer(address + done, chunk);
        while (target.hasRemaining()) {
          if (channel.read(target, offset + done + target.position()) < 0) {
            throw new IOException(file + ": ends before byte " + (offset + length));
          }
        }
        done += chunk;
      }
    } catch (IOException | RuntimeException e) {
      org.apache.arrow.memory.util.MemoryUtil.freeMemory(address);
      throw e;
    }
    return new Mapping(address, length, null, () -> org.apache.arrow.memory.util.MemoryUtil.freeMemory(address));
  }
}
