package io.arrownpz.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

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
        // The JDK's walk (links inside are removed, never followed), not core's Trees: a test JVM with core on
        // the module path (the CLI's integration tests) may not reach its internal packages, and the hook
        // failed there with an IllegalAccessError, leaving every fixture directory behind.
        try (Stream<Path> walk = Files.walk(dir)) {
          walk.sorted(Comparator.reverseOrder()).forEach(ScratchDirectories::deleteIfExists);
        } catch (IOException | UncheckedIOException e) {
          // the JVM is going away; a directory left behind is all it costs
        }
      }
    }, "scratch-directories"));
  }

  private ScratchDirectories() {}

  /** Best effort: what cannot be removed stays, and the walk goes on. */
  private static void deleteIfExists(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // left behind
    }
  }

  /** A new empty directory in the temp folder, deleted at exit. */
  public static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    CREATED.add(dir);
    return dir;
  }
}
