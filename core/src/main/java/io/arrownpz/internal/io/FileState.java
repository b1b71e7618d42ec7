package io.arrownpz.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What tells one state of a file from every other: device and inode, size, modification time and status
 * change time. The last is what makes it safe to keep something made from the file's bytes: the kernel sets
 * it on every write, truncation, rename and time change, and no program can set it back, so a file
 * rewritten in place with its size and modification time put back still looks changed (an NPY file has no
 * checksum to tell that, as an archive member's CRC-32 does).
 */
public record FileState(Object device, Object inode, long size, Object modified, Object changed) {
  private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

  /** The state of the file at {@code path} now; null where the platform does not tell it or it cannot be read. */
  public static FileState of(Path path) {
    try {
      Map<String, Object> a = Files.readAttributes(path, ATTRIBUTES);
      return new FileState(a.get("dev"), a.get("ino"), (Long) a.get("size"), a.get("lastModifiedTime"),
          a.get("ctime"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return null; // no "unix" view here, or the file is gone: nothing is vouched for
    }
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
