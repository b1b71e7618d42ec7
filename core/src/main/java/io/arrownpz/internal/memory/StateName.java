package io.arrownpz.internal.memory;

import io.arrownpz.internal.io.FileState;
import java.nio.file.Path;

/**
 * A file's bytes named by the state the file had before they were mapped or read ({@link FileState}): what
 * a region over them hands out as their {@link Region#contentKey}, equal for the same file in the same state
 * whether its bytes were mapped or read. A copy made from such bytes is kept only when the file still has
 * that state after the copy was made ({@link #holds}): the bytes read are then the ones the name stands for.
 */
public record StateName(Path file, FileState state) {
  /** The name of {@code file}'s bytes as they are now, or null where its state cannot be taken (see FileState). */
  public static StateName of(Path file) {
    FileState state = FileState.of(file);
    return state == null ? null : new StateName(file, state);
  }

  Object key(long offset, long length) {
    return new Bytes(this, offset, length);
  }

  /** Whether the file still has the state its bytes are named by. One system call. */
  boolean holds() {
    return state.holdsAt(file);
  }

  /** Bytes of a file in one state: equal whatever mapping or read they came through. */
  private record Bytes(StateName name, long offset, long length) {}
}
