package io.arrownpz.internal.memory;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code mmap(2)} through JNA's direct mapping of the C library: mappings of any length, and a release
 * that can never crash a late reader.
 *
 * <p>Arrow vectors hand their buffers' raw addresses to compiled code, and a JIT-compiled loop over a
 * vector may keep such an address after another thread has closed the vector and the garbage collector
 * has dropped its last buffer. Unmapping the range then turns that caller's race into a SIGSEGV of the
 * whole JVM. So a mapping is never unmapped: it is <em>retired</em>, replaced in place by anonymous
 * read-only zero pages (which cost address space, not memory, and let the file go), and the range is
 * kept in {@link ReservedRanges} for the next mapping to reuse. A late read sees zeros or a later
 * mapping's bytes, never a fault. Large mappings are retired off the releasing thread
 * ({@link Retirements}); until then they still show the file.
 *
 * <p>The file offset of a mapping must be a multiple of the page size, so a mapping starts at the page
 * holding its first byte and the address handed out points that many bytes in.
 */
final class NativeMapper {
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1; // the same value on Linux and macOS
  private static final int MAP_PRIVATE = 2; // the same value on Linux and macOS
  private static final int MAP_FIXED = 0x10; // the same value on Linux and macOS
  private static final int MAP_ANONYMOUS = Platform.isMac() ? 0x1000 : 0x20;
  private static final int O_RDONLY = 0;
  private static final int MADV_DONTNEED = 4; // the same value on Linux and macOS
  private static final long PAGE = 1 << 16; // a multiple of every page size in use (4 KiB, 16 KiB, 64 KiB)
  /** The huge page of x86-64, and of arm64 with 4 KiB pages. */
  private static final long HUGE_PAGE = 2L << 20;

  /** Whether the C library could be bound: Linux or macOS on a 64-bit machine, with JNA's native part. */
  static final boolean AVAILABLE = bind();

  private static final ReservedRanges RESERVED = new ReservedRanges();

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

  private static native int open(String path, int flags) throws LastErrorException;

  private static native int close(int fd) throws LastErrorException;

  private static native int madvise(Pointer address, long length, int advice) throws LastErrorException;

  private static native int mprotect(Pointer address, long length, int protection) throws LastErrorException;

  /** Maps {@code length} bytes of {@code file} from {@code offset}, read-only and shared. */
  static Mapping map(Path file, long offset, long length) throws IOException {
    int fd = openForMapping(file);
    try {
      return map(fd, file.toString(), offset, length, PROT_READ, MAP_SHARED);
    } finally {
      close(fd); // the mapping outlives the descriptor
    }
  }

  /**
   * {@code length} bytes of new zeroed memory of this process alone, writable until {@link #seal} makes it
   * read-only; released as a file mapping is (retired, never unmapped).
   */
  static Mapping anonymous(long length) throws IOException {
    return map(-1, "anonymous memory", 0, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  }

  /**
   * Makes memory from {@link #anonymous} read-only: a write through it then faults, as one into a mapped
   * file does, instead of changing what others read.
   */
  static void seal(Mapping anonymous) throws IOException {
    try {
      // Its address is where the mapping starts, on a page boundary; the kernel rounds the length up.
      mprotect(new Pointer(anonymous.address()), anonymous.length(), PROT_READ);
    } catch (LastErrorException e) {
      throw new IOException("memory cannot be made read-only (errno " + e.getErrorCode() + ")");
    }
  }

  /**
   * Maps part of the file open as {@code fd} copy-on-write: writes through the mapping change only this
   * process's pages, never the file.
   */
  static Mapping mapPrivate(int fd, String description, long offset, long length) throws IOException {
    return map(fd, description, offset, length, PROT_READ | PROT_WRITE, MAP_PRIVATE);
  }

  /** Closes a descriptor from {@link #openForMapping}; its mappings stay. */
  static void closeDescriptor(int fd) {
    try {
      close(fd);
    } catch (LastErrorException e) {
      // nothing left to release
    }
  }

  /** A descriptor of {@code file} open for reading, to map from; the caller closes it ({@link #closeDescriptor}). */
  static int openForMapping(Path file) throws IOException {
    try {
      return open(file.toString(), O_RDONLY);
    } catch (LastErrorException e) {
      throw new IOException(file + ": cannot be opened for mapping (errno " + e.getErrorCode() + ")");
    }
  }

  private static Mapping map(int fd, String description, long offset, long length, int protection, int flags)
      throws IOException {
    long start = offset - offset % PAGE;
    long span = roundUp(length + (offset - start));
    // A range of a huge page or more is reused only where its address agrees with the file offset modulo a
    // huge page, as the kernel places a new mapping: only then can a file the page cache holds in large
    // folios be mapped 2 MiB at a time rather than a 4 KiB page at a time.
    long reused = span >= HUGE_PAGE ? RESERVED.take(span, HUGE_PAGE, start % HUGE_PAGE) : RESERVED.take(span);
    Pointer base;
    try {
      base = reused == 0
          ? mmap(null, span, protection, flags, fd, start)
          : mmap(new Pointer(reused), span, protection, flags | MAP_FIXED, fd, start);
    } catch (LastErrorException e) {
      if (reused != 0) {
        retire(reused, span); // a failed fixed mapping may have dropped the placeholder: put it back
      }
      throw new IOException(description + ": " + length + " bytes cannot be mapped (errno " + e.getErrorCode() + ")");
    }
    long baseAddress = Pointer.nativeValue(base);
    // Only a shared read-only mapping reads its pages back from the file; dropping a copy-on-write
    // mapping's pages would drop what was written into them.
    boolean droppable = flags == MAP_SHARED && protection == PROT_READ;
    return new Mapping(baseAddress + (offset - start), length, null,
        () -> Retirements.SHARED.retire(span, () -> retire(baseAddress, span)), true, droppable);
  }

  /**
   * Replaces {@code [base, base + span)} with anonymous read-only zero pages and reserves it for reuse.
   * If even that fails (the kernel out of memory for its own bookkeeping), the old mapping stays where it
   * is: address space lost, but no reader harmed.
   */
  static void retire(long base, long span) {
    try {
      mmap(new Pointer(base), span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    } catch (LastErrorException e) {
      return;
    }
    RESERVED.give(base, span);
  }

  /**
   * Hands the resident pages wholly inside {@code [address, address + length)} back to the system
   * ({@code MADV_DONTNEED}), so that a sequential reader's memory is bounded by what it holds, not by what
   * it has read. The range stays mapped: a later read faults the pages in from the file again. A hint:
   * a failure changes nothing.
   */
  static void dropResidentPages(long address, long length) {
    long start = roundUp(address);
    long end = (address + length) / PAGE * PAGE;
    if (end <= start) {
      return;
    }
    try {
      madvise(new Pointer(start), end - start, MADV_DONTNEED);
    } catch (LastErrorException e) {
      // the pages stay resident; nothing else depends on it
    }
  }

  private static long roundUp(long bytes) {
    return (bytes + PAGE - 1) / PAGE * PAGE;
  }
}
