package io.arrownpz.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What tells one state of a file from every other: device and inode, size, modification time and status
 * change time. The kernel sets the last on every write, truncation, rename and time change, and no program
 * can set it back, so a file rewritten in place with its size and modification time put back still looks
 * changed: that is what makes it safe to keep something made from the file's bytes (an NPY file has no
 * checksum to tell it, as an archive member's CRC-32 does).
 *
 * <p>Only a state that has <em>settled</em> is given, for two ways the times can miss a change:
 * <ul>
 *   <li>The kernel stamps times from a clock that moves once per timer tick (1 to 10 ms): a second write
 *       within the tick of the first leaves the times as they were. (Git calls index entries taken in that
 *       window "racily clean".)
 *   <li>A process writing through a shared mapping ({@code np.load(mmap_mode='r+')}, {@code np.memmap})
 *       changes the times only on its first write to a page since that page was last written back; until
 *       the kernel writes the page back (within {@code vm.dirty_expire_centisecs} plus
 *       {@code vm.dirty_writeback_centisecs}: 35 s by default), writes to it change nothing the state shows.
 * </ul>
 * So a file's state is given once its status last changed longer ago than {@link #settleMillis()}: the
 * writeback window and a margin where the kernel tells it, never where it does not write back on a timer.
 * Files whose parts carry checksums that are checked against what is kept (the members of an archive) need
 * only outlast the tick: {@link #ofChecksummed}.
 */
public record FileState(long device, long inode, long size, long modifiedNanos, long changedNanos) {
  /** For files whose parts carry checksums: a few of the coarsest timer ticks. */
  public static final long TICK_SETTLE_MILLIS = 50;

  private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

  private static volatile long settleMillis = writebackWindowMillis();

  /**
   * The state of the file at {@code path} now (links followed); null where the platform does not tell it,
   * the file cannot be read, or it changed within the last {@link #settleMillis()}.
   */
  public static FileState of(Path path) {
    return settled(path, settleMillis);
  }

  /**
   * As {@link #of}, for a file whose parts are checked against checksums as well (an archive's members, by
   * their CRC-32s): settled once it outlasts the clock's tick ({@link #TICK_SETTLE_MILLIS}).
   */
  public static FileState ofChecksummed(Path path) {
    return settled(path, TICK_SETTLE_MILLIS);
  }

  /**
   * The state of the file at {@code path} now, settled or not (null where it cannot be taken): what tells
   * whether a mapping of it can be used again, which shows the file as it is whatever its times say. Ask
   * {@link #settled()} before naming its bytes by it.
   */
  public static FileState current(Path path) {
    return NativeStat.AVAILABLE ? NativeStat.of(path) : fromAttributes(path);
  }

  /** Whether this state, taken just now, has settled ({@link #of}): it may name the file's bytes. */
  public boolean settled() {
    return changedBefore(System.currentTimeMillis() - settleMillis);
  }

  /** How long ago a file must have last changed for {@link #of} to give its state. */
  public static long settleMillis() {
    return settleMillis;
  }

  /**
   * Sets {@link #settleMillis()}: for a process that knows no file it reads is written through a mapping
   * (and for tests, which cannot wait half a minute), down to {@link #TICK_SETTLE_MILLIS}.
   */
  public static void settleWithin(long millis) {
    settleMillis = Math.max(millis, TICK_SETTLE_MILLIS);
  }

  private static FileState settled(Path path, long millis) {
    FileState state = current(path);
    return state == null || !state.changedBefore(System.currentTimeMillis() - millis) ? null : state;
  }

  /**
   * The kernel's writeback window and 5 s more; where it cannot be read, 35 s and 5 s. Where the kernel
   * writes nothing back on a timer (a window of 0), dirty pages may stay so for good: no file settles.
   */
  private static long writebackWindowMillis() {
    long expire = centiseconds("/proc/sys/vm/dirty_expire_centisecs", 3000);
    long writeback = centiseconds("/proc/sys/vm/dirty_writeback_centisecs", 500);
    if (expire <= 0 || writeback <= 0) {
      return Long.MAX_VALUE / 4;
    }
    return (expire + writeback) * 10 + 5_000;
  }

  private static long centiseconds(String file, long otherwise) {
    try {
      return Long.parseLong(Files.readString(Path.of(file)).trim());
    } catch (IOException | RuntimeException e) {
      return otherwise;
    }
  }

  static FileState fromAttributes(Path path) {
    try {
      Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES);
      return new FileState(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(),
          (Long) a.get("size"), nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException
        | NullPointerException e) {
      return null; // no "unix" view here, or the file is gone: nothing is vouched for
    }
  }

  private static long nanos(Object time) {
    return ((FileTime) time).to(TimeUnit.NANOSECONDS);
  }

  /** Whether the status last changed before {@code millis} (since the epoch). */
  boolean changedBefore(long millis) {
    return changedNanos <= TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** Whether the file at {@code path} is still in this state. */
  public boolean holdsAt(Path path) {
    return equals(current(path));
  }
}
