package io.arrownpz.internal.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Validity bitmaps with every bit set, for vectors without nulls, made in constant time.
 *
 * <p>Arrow Java builds a fresh all-ones bitmap (n/8 bytes, filled byte by byte) for every vector loaded
 * without nulls, which would make opening a mapped array cost time in proportion to its length. Instead,
 * we keep one process-wide scratch file of 0xFF bytes (unlinked, so nothing is left on disk) and map a
 * copy-on-write prefix of it per vector: one system call, and a vector that later sets a null changes
 * only its own private pages. Small bitmaps are cheaper to allocate, so callers use this past
 * {@link #THRESHOLD} bytes only.
 */
public final class AllValidBitmap {
  /** Below this many bytes, allocating and filling a bitmap is cheaper than a mapping. */
  public static final long THRESHOLD = 64 * 1024;

  private static FileChannel ones;
  private static int onesDescriptor = -1; // the same file open for NativeMapper, where it is available
  private static long size;

  private AllValidBitmap() {}

  /**
   * The bytes of a validity bitmap of {@code count} values: a bit each, rounded up to a byte. Arrow Java
   * has this as {@code BitVectorHelper.getValidityBufferSize} in 18 and {@code
   * getValidityBufferSizeFromCount} in 19; core runs on either (Spark 4.1 and 4.2 bring one each), so it
   * calls neither.
   */
  public static int bytesFor(int count) {
    return (int) ((count + 7L) >>> 3);
  }

  /** A bitmap of {@code bytes} bytes of 0xFF, accounted to {@code allocator}. The caller closes it. */
  public static ArrowBuf of(BufferAllocator allocator, long bytes) {
    try (MappedRegion region = mapOnes(bytes)) {
      return region.wrap(allocator, 0, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map an all-valid bitmap of " + bytes + " bytes", e);
    }
  }

  private static synchronized MappedRegion mapOnes(long bytes) throws IOException {
    if (bytes > MappedRegion.MAX_CHANNEL_MAPPING) {
      throw new IOException("bitmap too large to map");
    }
    if (ones == null) {
      Path file = Files.createTempFile("arrow-npz-valid", ".bits");
      ones = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      onesDescriptor = NativeMapper.AVAILABLE ? NativeMapper.openForMapping(file) : -1;
      Files.delete(file); // the open channel keeps the data; nothing stays on disk
    }
    if (size < bytes) {
      grow(Math.min(MappedRegion.MAX_CHANNEL_MAPPING, Math.max(bytes, 2 * size)));
    }
    return MappedRegion.mapPrivate(ones, onesDescriptor, "all-valid bitmap", 0, bytes);
  }

  private static void grow(long newSize) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    while (chunk.hasRemaining()) {
      chunk.put((byte) 0xFF);
    }
    long position = size;
    while (position < newSize) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), newSize - position));
      position += ones.write(chunk, position);
    }
    size = newSize;
  }
}
