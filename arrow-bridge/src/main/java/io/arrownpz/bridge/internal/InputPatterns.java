package io.arrownpz.bridge.internal;

import io.arrownpz.bridge.FileFormat;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Input arguments that are glob patterns ({@code 'exports/**}{@code /*.parquet'}, quoted so that the
 * shell leaves them alone), expanded by us as DuckDB's readers do: {@code *} and {@code ?} within a
 * name, {@code **} across directories, {@code [..]} and {@code {a,b}}. Only files the bridge reads match.
 */
public final class InputPatterns {
  private InputPatterns() {}

  /** Whether an argument is a pattern rather than a path. */
  public static boolean isPattern(String argument) {
    return argument.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /**
   * The files a pattern matches, sorted; a plain path is itself.
   *
   * @throws IOException naming the pattern when it matches nothing
   */
  public static List<Path> expand(String argument) throws IOException {
    if (!isPattern(argument)) {
      return List.of(Path.of(argument));
    }
    Path pattern = Path.of(argument).toAbsolutePath().normalize();
    // Walk from the deepest directory named before the first component with a wildcard.
    Path root = pattern.getRoot();
    int depth = 0;
    for (Path part : pattern) {
      if (isPattern(part.toString())) {
        break;
      }
      root = root.resolve(part);
      depth++;
    }
    int remaining = pattern.getNameCount() - depth;
    boolean anyDepth = argument.contains("**");
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    List<Path> matches = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> walk = Files.walk(root, anyDepth ? Integer.MAX_VALUE : remaining)) {
        walk.filter(matcher::matches)
            .filter(p -> Files.isRegularFile(p) ? FileFormat.ofInput(p) != null
                : Files.isRegularFile(p.resolve("__meta__.json")))
            .sorted()
            .forEach(matches::add);
      }
    }
    if (matches.isEmpty()) {
      throw new java.nio.file.NoSuchFileException(argument, null, "the pattern matches no file arrow-npz reads");
    }
    return matches;
  }
}
