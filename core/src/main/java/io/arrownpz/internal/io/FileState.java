package io.arrownpz.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What tells one state of a file from every other: device and inode, size, modification time and status
 * change time. The last is what makes it safe to keep something made from the file's bytes: the kernel sets
 * it on every write, truncation, rename and time change, and no program can set it back, so a file
 * rewritten in place with its size and modification time put back still looks changed (an NPY file has no
 * checksum to tell that, as an archive member's CRC-32 does).
 *
 * <p>Only a state that has <em>settled</em> is given: the kernel stamps times from a clock that moves once
 * per timer tick (1 to 10 ms), so a second write within the tick of the first leaves the status change time
 * as it was, and a state taken between the two would still hold after the second. A file whose status last
 * changed less than {@link #SETTLE_MILLIS} ago (or, by a clock that disagrees, in the future) has no state
 * yet: nothing made from its bytes is kept until it is older. (Git calls such index entries "racily clean".)
 */
public record FileState(long device, long inode, long size, long modifiedNanos, long changedNanos) {
  /** How long ago a file must have last changed for its state to be given: a few of the coarsest ticks. */
  public static final long SETTLE_MILLIS = 50;

  private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

  /**
   * The state of the file at {@code path} now (links followed); null where the platform does not tell it,
   * the file cannot be read, or it changed too lately (see above).
   */
  public static FileState of(Path path) {
    FileState state = NativeStat.AVAILABLE ? NativeStat.of(path) : fromAttributes(path);
    return state == null || !state.settled(System.currentTimeMillis()) ? null : state;
  }

  private static FileState fromAttributes(Path path) {
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

  /** Whether the status change time is at least {@link #SETTLE_MILLIS} before {@code nowMillis}. */
  boolean settled(long nowMillis) {
    return changedNanos <= TimeUnit.MILLISECONDS.toNanos(nowMillis - SETTLE_MILLIS);
  }

  /**
   * {@code before}, taken before some work on the file at {@code path} (mapping it), where the file is still
   * in that state after it and {@code size} bytes long: the work then saw that state. Null otherwise (the
   * file changed or was replaced meanwhile, or no state could be taken).
   */
  public static FileState unchangedSince(FileState before, Path path, long size) {
    return before != null && before.size() == size && before.holdsAt(path) ? before : null;
  }

  /** Whether the file at {@code path} is still in this state. */
  public boolean holdsAt(Path path) {
    return equals(of(path));
  }
}
