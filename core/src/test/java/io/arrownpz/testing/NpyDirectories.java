package io.arrownpz.testing;

import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameSource;
import io.arrownpz.frame.NpyDirectorySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** The frame in {@code dir}, read whole by {@code reader}; the source is closed, the table is the caller's. */
  public static VectorSchemaRoot read(FrameReader reader, Path dir) throws IOException {
    try (FrameSource source = new NpyDirectorySource(dir)) {
      return reader.read(source);
    }
  }
}
