package io.arrownpz.internal.memory;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code mmap(2)} through JNA's direct mapping of the C library, for mappings past Java 17's 2 GiB. The
 * file offset must be a multiple of the page size, so the mapping starts at the page holding the first
 * byte and the address handed out points that many bytes in.
 */
final class NativeMapper {
  private static final int PROT_READ = 1;
  private static final int MAP_SHARED = 1; // the same value on Linux and macOS
  private static final int O_RDONLY = 0;
  private static final long PAGE = 1 << 16; // a multiple of every page size in use (4 KiB, 16 KiB, 64 KiB)

  /** Whether the C library could be bound: Linux or macOS on a 64-bit machine, with JNA's native part. */
  static final boolean AVAILABLE = bind();

  private NativeMapper() {}

  private static boolean bind() {
    if (!(Platform.isLinux() || Platform.isMac()) || !Platform.is64Bit()) {
      return false;
    }
    try {
      Native.register(NativeMapper.class, Platform.C_LIBRARY_NAME);
      return true;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  private static native Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset)
      throws LastErrorException;

  private static native int munmap(Pointer address, long length) throws LastErrorException;

  private static native int open(String path, int flags) throws LastErrorException;

  private static native int close(int fd) throws LastErrorException;

  static Mapping map(Path file, long offset, long length) throws IOException {
    long start = offset - offset % PAGE;
    long span = length + (offset - start);
    int fd;
    try {
      fd = open(file.toString(), O_RDONLY);
    } catch (LastErrorException e) {
      throw new IOException(file + ": cannot be opened for mapping (errno " + e.getErrorCode() + ")");
    }
    Pointer base;
    try {
      base = mmap(null, span, PROT_READ, MAP_SHARED, fd, start);
    } catch (LastErrorException e) {
      throw new IOException(file + ": " + length + " bytes cannot be mapped (errno " + e.getErrorCode() + ")");
    } finally {
      close(fd); // the mapping outlives the descriptor
    }
    long address = Pointer.nativeValue(base) + (offset - start);
    return new Mapping(address, length, null, () -> munmap(base, span));
  }
}
