package io.arrownpz.flightsql.bench;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The floor under a file's first query: what the first pass over a fresh mapping of a file in the page
 * cache costs (one byte per 4 KiB page), plain, prefaulted with {@code MAP_POPULATE}, or with
 * {@code MADV_POPULATE_READ}; the second pass over the same mapping; and the kernel's {@code read()} of the
 * same file through a reused 1 MiB buffer, as a reader that copies meets it. Linux only. Give each file once:
 * a file read before is no longer cold for its pages' mappings in this process.
 *
 * <pre>FirstTouch FILE...</pre>
 */
public final class FirstTouch {
  private static final int PROT_READ = 1;
  private static final int MAP_SHARED = 1;
  private static final int MAP_POPULATE = 0x8000;
  private static final int MADV_POPULATE_READ = 22;
  private static final long PAGE = 4096;

  static {
    Native.register(FirstTouch.class, Platform.C_LIBRARY_NAME);
  }

  private FirstTouch() {}

  private static native Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset);

  private static native int open(String path, int flags);

  private static native int close(int fd);

  private static native int munmap(Pointer address, long length);

  private static native int madvise(Pointer address, long length, int advice);

  public static void main(String[] args) throws Exception {
    String[] ways = {"plain", "MAP_POPULATE", "MADV_POPULATE_READ", "read()"};
    for (int i = 0; i < args.length; i++) {
      Path file = Path.of(args[i]);
      String way = ways[i % ways.length];
      long length = Files.size(file);
      if (way.equals("read()")) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file)) {
          while (channel.read(buffer.clear()) > 0) {
            // the copy is the cost
          }
        }
        System.out.printf(Locale.ROOT, "%s, %s through a 1 MiB buffer: %.1f ms%n", file, way,
            (System.nanoTime() - start) / 1e6);
        continue;
      }
      int fd = open(file.toString(), 0);
      long start = System.nanoTime();
      Pointer mapping = mmap(null, length, PROT_READ, MAP_SHARED | (way.equals("MAP_POPULATE") ? MAP_POPULATE : 0),
          fd, 0);
      close(fd);
      if (way.equals("MADV_POPULATE_READ")) {
        madvise(mapping, length, MADV_POPULATE_READ);
      }
      long mapped = System.nanoTime();
      long sum = touch(mapping, length);
      long first = System.nanoTime();
      sum += touch(mapping, length);
      long second = System.nanoTime();
      munmap(mapping, length);
      System.out.printf(Locale.ROOT, "%s, %s: map %.1f ms, first pass %.1f ms, second pass %.1f ms (%d)%n", file, way,
          (mapped - start) / 1e6, (first - mapped) / 1e6, (second - first) / 1e6, sum);
    }
  }

  private static long touch(Pointer mapping, long length) {
    long sum = 0;
    for (long offset = 0; offset < length; offset += PAGE) {
      sum += mapping.getByte(offset);
    }
    return sum;
  }
}
