package io.arrownpz.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file written under a temporary name in the target's directory and renamed into place only when
 * {@link #commit()} is called. Closing without committing deletes the temporary file, so a failed write
 * never leaves a partial file at the target, nor replaces a good one.
 */
public final class AtomicFile implements AutoCloseable {
  private final Path target;
  private final Path temporary;
  private final FileChannel channel;
  private boolean committed;

  private AtomicFile(Path target, Path temporary, FileChannel channel) {
    this.target = target;
    this.temporary = temporary;
    this.channel = channel;
  }

  public static AtomicFile create(Path target) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temporary = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".partial");
    try {
      // The file is new and empty. No TRUNCATE_EXISTING: on ext4, truncating to zero marks the file for
      // forced block allocation at close (auto_da_alloc), which doubled the time of large writes.
      FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.READ);
      return new AtomicFile(absolute, temporary, channel);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /** The channel to write (and, for writers that patch headers, to read back). */
  public FileChannel channel() {
    return channel;
  }

  public Path target() {
    return target;
  }

  /** Closes the temporary file and renames it to the target. */
  public void commit() throws IOException {
    channel.close();
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      try {
        channel.close();
      } finally {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
