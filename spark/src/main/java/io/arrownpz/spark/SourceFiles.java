package io.arrownpz.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The data files a load names, as Spark's file sources find them: each path ({@code load(path)}, or
 * several: {@code load(a, b)}) a file, an NPY-directory frame, a folder, or a glob ({@code *}, {@code ?},
 * {@code [..]}, {@code {a,b}}) of those. A folder is read with every folder below it, which must be named
 * {@code KEY=VALUE} (partitioned the Hive way, as Spark, pandas and polars write them) unless {@code
 * recursiveFileLookup} is set; keys are taken from below the folder given, or below {@code basePath}.
 * Entries whose names start with {@code _} or {@code .} ({@code _SUCCESS}, {@code _temporary}) are no part
 * of the data.
 *
 * @param files the data files, in path order
 * @param partitionKeys the keys of the folders they are in (the same for every file), in path order
 */
record SourceFiles(List<DataFile> files, List<String> partitionKeys) implements Serializable {
  /** How Hive-partitioned folders spell a null value. */
  static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

  /**
   * A data file and the values of its folders' keys.
   *
   * @param partitionValues one per key, percent-decoded, null for {@link #NULL_VALUE}
   */
  record DataFile(String path, List<String> partitionValues) implements Serializable {}

  static SourceFiles of(Map<String, String> options) {
    List<String> given = given(options);
    boolean recursive = Boolean.parseBoolean(options.getOrDefault("recursiveFileLookup", "false"));
    String basePath = options.get("basePath");
    List<DataFile> files = new ArrayList<>();
    List<String> keys = null;
    String keysFrom = null;
    for (String path : given) {
      for (Path root : expand(path)) {
        Path base = basePath != null ? SparkPaths.localPath(basePath) : Files.isDirectory(root) && !isFrame(root) ? root : null;
        for (Path file : dataFiles(root)) {
          List<String[]> pairs = recursive || base == null ? List.of() : partitions(base, file.getParent(), file);
          List<String> fileKeys = pairs.stream().map(p -> p[0]).toList();
          if (keys == null) {
            keys = fileKeys;
            keysFrom = file.toString();
          } else if (!keys.equals(fileKeys)) {
            throw new IllegalArgumentException("npz: " + file + " and " + keysFrom + " are in folders of different "
                + "partition keys: " + fileKeys + " against " + keys);
          }
          files.add(new DataFile(file.toString(), pairs.stream().map(p -> p[1]).toList()));
        }
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("npz: " + String.join(", ", given)
          + ": holds no .npy, .npz or NPY-directory frame");
    }
    return new SourceFiles(files, keys);
  }

  /** The paths of a load: Spark passes one as {@code path}, several as a JSON array in {@code paths}. */
  private static List<String> given(Map<String, String> options) {
    List<String> paths = new ArrayList<>();
    if (options.get("path") != null) {
      paths.add(options.get("path"));
    }
    paths.addAll(jsonStrings(options.get("paths"), "paths"));
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("npz: give a path: spark.read.format(\"npz\").load(PATH)");
    }
    return paths;
  }

  /** The strings of a JSON array, as Spark passes lists in options ({@code paths}, partition columns). */
  static List<String> jsonStrings(String json, String what) {
    List<String> strings = new ArrayList<>();
    if (json == null || json.isBlank()) {
      return strings;
    }
    try {
      for (Object value : new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, List.class)) {
        strings.add(String.valueOf(value));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("npz: " + what + " is not a JSON array of strings: " + json);
    }
    return strings;
  }

  /** A path, or what its glob matches, in path order; an error when nothing is there. */
  private static List<Path> expand(String given) {
    String local = SparkPaths.local(given);
    String path = local.length() > 1 && local.endsWith("/") ? local.substring(0, local.length() - 1) : local;
    int glob = firstGlobCharacter(path);
    if (glob < 0) {
      Path p = Path.of(path);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("npz: " + path + ": no such file or directory");
      }
      return List.of(p);
    }
    int cut = path.lastIndexOf('/', glob);
    Path fixed = Path.of(cut < 0 ? "." : cut == 0 ? "/" : path.substring(0, cut));
    String pattern = cut < 0 ? path : path.substring(cut + 1);
    int depth = pattern.split("/").length;
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    List<Path> matched = new ArrayList<>();
    if (Files.isDirectory(fixed)) {
      try (Stream<Path> walk = Files.walk(fixed, depth)) {
        walk.filter(p -> p.getNameCount() > 0 && !p.equals(fixed))
            .filter(p -> fixed.relativize(p).getNameCount() == depth && matcher.matches(fixed.relativize(p)))
            .sorted().forEach(p -> matched.add(cut < 0 ? p.normalize() : p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (matched.isEmpty()) {
      throw new IllegalArgumentException("npz: " + path + ": the pattern matches no file");
    }
    return matched;
  }

  private static int firstGlobCharacter(String path) {
    for (int i = 0; i < path.length(); i++) {
      if ("*?[{".indexOf(path.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  static boolean isFrame(Path dir) {
    return Files.isRegularFile(dir.resolve("__meta__.json"));
  }

  private static boolean isData(Path p) {
    String name = p.getFileName().toString();
    return Files.isRegularFile(p) && (name.endsWith(".npy") || name.endsWith(".npz"))
        || Files.isDirectory(p) && isFrame(p);
  }

  /** The data files at or below {@code root}, in path order. */
  private static List<Path> dataFiles(Path root) {
    if (!Files.isDirectory(root) || isFrame(root)) {
      return List.of(root);
    }
    List<Path> found = new ArrayList<>();
    collect(root, found);
    return found;
  }

  private static void collect(Path dir, List<Path> found) {
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries = list.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue; // _SUCCESS, _temporary, partial files
      }
      if (isData(p)) {
        found.add(p);
      } else if (Files.isDirectory(p)) {
        collect(p, found);
      }
    }
  }

  /** The (key, value) of each folder from {@code base} down to {@code dir}; an error for one not KEY=VALUE. */
  private static List<String[]> partitions(Path base, Path dir, Path file) {
    Path relative = base.relativize(dir);
    List<String[]> pairs = new ArrayList<>();
    for (Path segment : relative) {
      String name = segment.toString();
      if (name.isEmpty()) {
        continue;
      }
      int eq = name.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("npz: " + file + ": folder '" + name + "' is not a partition "
            + "(KEY=VALUE); read with .option(\"recursiveFileLookup\", true) to read every file below "
            + base + " without partition columns");
      }
      String value = decode(name.substring(eq + 1));
      pairs.add(new String[] {decode(name.substring(0, eq)), NULL_VALUE.equals(value) ? null : value});
    }
    return pairs;
  }

  /** Undoes the percent-escapes writers put in folder names (a '+' stays a '+'). */
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
