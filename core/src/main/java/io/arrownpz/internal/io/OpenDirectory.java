package io.arrownpz.internal.io;

import com.sun.jna.Native;
import java.nio.file.Path;

/**
 * A directory held open for taking the states of the files in it ({@link FileState}): each is looked up by
 * its name relative to the open directory, so the kernel walks one path component per file instead of the
 * whole path. Where {@code statx} is not bound, or the directory cannot be opened, states are taken by whole
 * paths. Thread-safe; {@link #close} once every state has been taken.
 */
public final class OpenDirectory implements AutoCloseable {
  private final Path dir;
  private final int fd;

  private OpenDirectory(Path dir, int fd) {
    this.dir = dir;
    this.fd = fd;
  }

  public static OpenDirectory open(Path dir) {
    return new OpenDirectory(dir, NativeStat.AVAILABLE ? NativeStat.openDirectory(dir) : -1);
  }

  /**
   * The state of the file {@code name} names in the directory now, settled or not, as {@link
   * FileState#current} gives it for the whole path; null where it cannot be taken.
   */
  public FileState current(String name) {
    if (fd < 0 || name.indexOf('/') >= 0) {
      return FileState.current(dir.resolve(name));
    }
    return NativeStat.of(fd, Native.toByteArray(name));
  }

  @Override
  public void close() {
    if (fd >= 0) {
      NativeStat.closeDescriptor(fd);
    }
  }
}
