package io.arrownpz.internal.memory;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;

/**
 * A file that lives in memory only ({@code memfd_create(2)}, Linux), for bytes made once and read by many:
 * each reader maps it copy-on-write ({@link #mapPrivate}), so the pages are shared until one writes, and a
 * write changes that reader's pages alone, never the file or what the next reader gets. Its memory is the
 * kernel's, counted against no allocator, and freed once the file is closed and the last mapping released.
 */
public final class MemoryFile implements AutoCloseable {
  private static final int MFD_CLOEXEC = 1;

  /** Whether this platform has such files (Linux, with the C library bound through JNA). */
  public static final boolean AVAILABLE = Platform.isLinux() && NativeMapper.AVAILABLE && bind();

  private final String name;
  private final int fd;
  private final long length;
  private boolean closed;

  private MemoryFile(String name, int fd, long length) {
    this.name = name;
    this.fd = fd;
    this.length = length;
  }

  private static boolean bind() {
    try {
      Native.register(MemoryFile.class, Platform.C_LIBRARY_NAME); // apart from NativeMapper: Linux-only names
      return true;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  private static native int memfd_create(String name, int flags) throws LastErrorException;

  private static native int ftruncate(int fd, long length) throws LastErrorException;

  /** A new file of {@code length} zero bytes named {@code name} (for /proc only); the caller closes it. */
  public static MemoryFile create(String name, long length) throws IOException {
    if (!AVAILABLE || length <= 0) {
      throw new IOException(name + ": memory files are not available here");
    }
    int fd;
    try {
      fd = memfd_create(name, MFD_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IOException(name + ": no memory file (errno " + e.getErrorCode() + ")");
    }
    try {
      ftruncate(fd, length);
    } catch (LastErrorException e) {
      NativeMapper.closeDescriptor(fd);
      throw new IOException(name + ": " + length + " bytes of memory file refused (errno " + e.getErrorCode() + ")");
    }
    return new MemoryFile(name, fd, length);
  }

  public long length() {
    return length;
  }

  /** The file mapped shared and writable, to fill it; the caller closes the region. */
  public MappedRegion mapWritable() throws IOException {
    requireOpen();
    return MappedRegion.of(name, NativeMapper.mapWritable(fd, name, length), length);
  }

  /** The file mapped copy-on-write for one reader, named {@code description}; the caller closes the region. */
  public MappedRegion mapPrivate(String description) throws IOException {
    requireOpen();
    return MappedRegion.of(description, NativeMapper.mapPrivate(fd, description, 0, length), length);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(name + ": memory file closed");
    }
  }

  /** Closes the file; mappings of it stay readable until released. Not thread-safe: one owner closes it. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      NativeMapper.closeDescriptor(fd);
    }
  }
}
