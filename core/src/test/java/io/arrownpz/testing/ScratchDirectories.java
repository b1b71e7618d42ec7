package io.arrownpz.testing;

import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Temporary directories that outlive one test (fixtures unpacked once, a fuzz target's working files),
 * removed with everything in them when the test JVM exits, so that runs leave nothing in the temp folder.
 * A test's own files go in JUnit's {@code @TempDir}.
 */
public final class ScratchDirectories {
  private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (Path dir : CREATED) {
        try {
          Trees.delete(dir); // links inside are removed, never followed
        } catch (IOException e) {
          // the JVM is going away; a directory left behind is all it costs
        }
      }
    }, "scratch-directories"));
  }

  private ScratchDirectories() {}

  /** A new empty directory in the temp folder, deleted at exit. */
  public static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    CREATED.add(dir);
    return dir;
  }
}
