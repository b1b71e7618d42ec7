package io.arrownpz.flight;

import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A directory to serve in tests: the NumPy and StaticFrame golden files (good ones only), and files of
 * every Arrow format and type family written by pyarrow itself.
 */
final class ServedDirectory {
  private ServedDirectory() {}

  static Path build(Path dir) throws IOException {
    for (String kind : new String[] {"npy", "npz", "sf", "sfdir"}) {
      copyTree(Fixtures.path(kind), dir.resolve(kind));
    }
    PythonPeer.require("pyarrow", "numpy");
    PythonPeer.run(script("write_peer_files.py"), dir.toString());
    return dir;
  }

  static String script(String name) throws IOException {
    try (InputStream in = ServedDirectory.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
