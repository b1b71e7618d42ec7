package io.arrownpz.internal.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Copies of native libraries that their Java loaders wrote to the temporary folder and this process has
 * loaded: Arrow's dataset library ({@code jnilib-N.tmp}, 76 MB a copy) and C data library, zstd-jni,
 * lz4-java and snappy-java. Their loaders leave each copy to {@code File.deleteOnExit}, which runs only on an orderly exit:
 * an exit through {@link ImmediateExit}, a SIGKILL or a crash leaves the copy behind, one per process.
 *
 * <p>A loaded library needs its file no more (on Linux the mapping outlives the name), so {@link
 * #unlinkLoaded} removes the copies at once. The process's own mappings ({@code /proc/self/maps}) say
 * which copies are its own: only files mapped executable, directly in {@code java.io.tmpdir}, under one
 * of the loaders' names, so a data file the user keeps there, mapped by a read, is never touched. Where
 * there is no {@code /proc}, nothing happens and the copies go at exit as before.
 */
public final class ExtractedLibraries {
  private static final Path MAPS = Path.of("/proc/self/maps");
  private static final Path FDS = Path.of("/proc/self/fd");

  /** The names the loaders give their copies: Arrow's {@code JniLoader}s, zstd-jni's, lz4-java's, snappy-java's. */
  private static final Pattern COPY_NAME = Pattern.compile("jnilib-\\d+\\.tmp|libzstd-jni-[0-9.]+-\\d+\\.so"
      + "|liblz4-java-\\d+\\.so|snappy-[0-9.]+-[0-9a-f-]+-libsnappyjava\\.so");

  /** lz4-java marks its copy in use with a file of this suffix beside it, also left to deleteOnExit. */
  private static final String LZ4_LOCK = ".lck";

  private static final String DELETED = " (deleted)";

  private ExtractedLibraries() {}

  /** Removes this process's loaded copies still in the temporary folder; returns how many went. */
  public static synchronized int unlinkLoaded() {
    int removed = 0;
    for (Path copy : loadedCopies()) {
      try {
        if (Files.deleteIfExists(copy)) {
          removed++;
        }
        if (copy.getFileName().toString().startsWith("liblz4-java-")) {
          Files.deleteIfExists(copy.resolveSibling(copy.getFileName() + LZ4_LOCK));
        }
      } catch (IOException e) {
        // not ours to delete after all (another user's folder): it goes at exit, as before
      }
    }
    return removed;
  }

  /**
   * As {@link #unlinkLoaded}, and also the copies this process has open, which a loader is writing now; for
   * a process about to end at once ({@link ImmediateExit}), where a loader still copying (a thread at work
   * when a signal came) would leave its copy behind. Never while the process goes on: the loader would
   * then load a file that is gone.
   */
  public static synchronized int unlinkBeforeExit() {
    int removed = unlinkLoaded();
    for (Path copy : openCopies()) {
      try {
        if (Files.deleteIfExists(copy)) {
          removed++;
        }
      } catch (IOException e) {
        // the process ends anyway
      }
    }
    return removed;
  }

  /** The copies this process has open ({@code /proc/self/fd}), under a loader's name in the temporary folder. */
  static Set<Path> openCopies() {
    Set<Path> copies = new LinkedHashSet<>();
    Path folder = temporaryFolder();
    try (var descriptors = Files.newDirectoryStream(FDS)) {
      for (Path descriptor : descriptors) {
        Path target;
        try {
          target = Files.readSymbolicLink(descriptor);
        } catch (IOException | UnsupportedOperationException closedSince) {
          continue;
        }
        if (target.isAbsolute() && target.getParent() != null && !target.toString().endsWith(DELETED)
            && COPY_NAME.matcher(target.getFileName().toString()).matches() && sameFolder(target.getParent(), folder)) {
          copies.add(target);
        }
      }
    } catch (IOException | UnsupportedOperationException e) {
      // no /proc here
    }
    return copies;
  }

  /** The copies this process has mapped executable and that still have their names. */
  static Set<Path> loadedCopies() {
    Set<Path> copies = new LinkedHashSet<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(MAPS);
    } catch (IOException | UnsupportedOperationException e) {
      return copies; // no /proc here
    }
    Path folder = temporaryFolder();
    for (String line : lines) {
      Path copy = executableMapping(line);
      if (copy != null && copy.getParent() != null && COPY_NAME.matcher(copy.getFileName().toString()).matches()
          && sameFolder(copy.getParent(), folder)) {
        copies.add(copy);
      }
    }
    return copies;
  }

  /**
   * The file of one line of {@code /proc/self/maps} ({@code address perms offset dev inode path}) if it
   * is mapped executable and still has its name, else null.
   */
  private static Path executableMapping(String line) {
    String[] fields = line.trim().split("\\s+", 6);
    if (fields.length < 6 || fields[1].indexOf('x') < 0 || !fields[5].startsWith("/") || fields[5].endsWith(DELETED)) {
      return null;
    }
    try {
      return Path.of(fields[5]);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private static Path temporaryFolder() {
    return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
  }

  private static boolean sameFolder(Path mapped, Path folder) {
    if (mapped.equals(folder)) {
      return true;
    }
    try {
      return Files.isSameFile(mapped, folder); // the maps show the real path, tmpdir may go through a link
    } catch (IOException e) {
      return false;
    }
  }
}
