package io.arrownpz.testing;

import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameSource;
import io.arrownpz.frame.NpyDirectorySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;

/** For tests of NPY-directory frames that a peer wrote and the test copies, rewrites or replaces file by file. */
public final class NpyDirectories {
  private NpyDirectories() {}

  /** The files of {@code dir}, sorted by name. */
  public static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  /** A new directory {@code to} holding copies of the files of {@code from}. */
  public static Path copy(Path from, Path to) throws IOException {
    Files.createDirectory(to);
    for (Path member : files(from)) {
      Files.copy(member, to.resolve(member.getFileName()));
    }
    return to;
  }

  /**
   * Every file of {@code dir} rewritten in place (the same inode) with the bytes of its namesake in
   * {@code from}, which must be as long, and its modification time put back: only the status change time
   * tells the file changed.
   */
  public static void rewriteInPlace(Path from, Path dir) throws IOException {
    for (Path member : files(from)) {
      Path target = dir.resolve(member.getFileName());
      FileTime modified = Files.getLastModifiedTime(target);
      byte[] other = Files.readAllBytes(member);
      if (other.length != Files.size(target)) {
        throw new IllegalArgumentException(member + " is not as long as " + target);
      }
      Files.write(target, other);
      Files.setLastModifiedTime(target, modified);
    }
  }

  /** The frame in {@code dir}, read whole by {@code reader}; the source is closed, the table is the caller's. */
  public static VectorSchemaRoot read(FrameReader reader, Path dir) throws IOException {
    try (FrameSource source = new NpyDirectorySource(dir)) {
      return reader.read(source);
    }
  }
}
