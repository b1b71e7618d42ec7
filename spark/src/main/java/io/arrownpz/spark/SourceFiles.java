package io.arrownpz.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The data files a load names, as Spark's file sources find them: each path ({@code load(path)}, or
 * several: {@code load(a, b)}) a file, an NPY-directory frame, a folder, or a glob ({@code *}, {@code ?},
 * {@code [..]}, {@code {a,b}}) of those, on any Hadoop file system ({@link HadoopFiles}). A folder is read
 * with every folder below it, which must be named {@code KEY=VALUE} (partitioned the Hive way, as Spark,
 * pandas and polars write them) unless {@code recursiveFileLookup} is set; keys are taken from below the
 * folder given, or below {@code basePath}. Entries whose names start with {@code _} or {@code .} ({@code
 * _SUCCESS}, {@code _temporary}) are no part of the data.
 *
 * @param files the data files, in path order
 * @param partitionKeys the keys of the folders they are in (the same for every file), in path order
 * @param fileSystems where they are read from
 */
record SourceFiles(List<DataFile> files, List<String> partitionKeys, HadoopFiles fileSystems) implements Serializable {
  /** How Hive-partitioned folders spell a null value. */
  static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

  /**
   * A data file and the values of its folders' keys.
   *
   * @param path a local file's path, or another file system's URI ({@link HadoopFiles#name})
   * @param partitionValues one per key, percent-decoded, null for {@link #NULL_VALUE}
   * @param bytes its length (an NPY directory's: its files')
   */
  record DataFile(String path, List<String> partitionValues, long bytes) implements Serializable {}

  static SourceFiles of(Map<String, String> options) {
    List<String> given = given(options);
    HadoopFiles fileSystems = HadoopFiles.of(options);
    boolean recursive = Boolean.parseBoolean(options.getOrDefault("recursiveFileLookup", "false"));
    String basePath = options.get("basePath");
    List<DataFile> files = new ArrayList<>();
    List<String> keys = null;
    String keysFrom = null;
    try {
      for (String path : given) {
        Listing listing = new Listing(fileSystems.fileSystem(new Path(path)));
        for (FileStatus root : listing.expand(path)) {
          Path base = basePath != null ? listing.fs.makeQualified(new Path(basePath))
              : root.isDirectory() && !listing.isFrame(root.getPath()) ? root.getPath() : null;
          for (FileStatus file : listing.dataFiles(root)) {
            String name = HadoopFiles.name(listing.fs, file.getPath());
            if (file.isDirectory() && !HadoopFiles.isLocal(listing.fs)) {
              throw new IllegalArgumentException("npz: " + name + ": NPY-directory frames are read from the local "
                  + "file system only; on " + listing.fs.getUri().getScheme() + ": store frames as NPZ files");
            }
            List<String[]> pairs = recursive || base == null ? List.of()
                : partitions(base, file.getPath().getParent(), name);
            List<String> fileKeys = pairs.stream().map(p -> p[0]).toList();
            if (keys == null) {
              keys = fileKeys;
              keysFrom = name;
            } else if (!keys.equals(fileKeys)) {
              throw new IllegalArgumentException("npz: " + name + " and " + keysFrom + " are in folders of different "
                  + "partition keys: " + fileKeys + " against " + keys);
            }
            files.add(new DataFile(name, pairs.stream().map(p -> p[1]).toList(), listing.bytes(file)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("npz: " + String.join(", ", given)
          + ": holds no .npy, .npz or NPY-directory frame");
    }
    return new SourceFiles(files, keys, fileSystems);
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

  /** The files and folders of one file system, as a load lists them. */
  private record Listing(FileSystem fs) {
    /** A path, or what its glob matches, in path order; an error when nothing is there. */
    List<FileStatus> expand(String given) throws IOException {
      Path path = new Path(given);
      if (firstGlobCharacter(given) < 0) {
        try {
          return List.of(fs.getFileStatus(path));
        } catch (FileNotFoundException e) {
          throw new IllegalArgumentException("npz: " + given + ": no such file or directory");
        }
      }
      FileStatus[] matched = fs.globStatus(path);
      if (matched == null || matched.length == 0) {
        throw new IllegalArgumentException("npz: " + given + ": the pattern matches no file");
      }
      return sorted(matched);
    }

    boolean isFrame(Path dir) throws IOException {
      return fs.isFile(new Path(dir, "__meta__.json"));
    }

    private boolean isData(FileStatus status) throws IOException {
      String name = status.getPath().getName();
      return status.isFile() && (name.endsWith(".npy") || name.endsWith(".npz"))
          || status.isDirectory() && isFrame(status.getPath());
    }

    /** The data files at or below {@code root}, in path order. */
    List<FileStatus> dataFiles(FileStatus root) throws IOException {
      if (!root.isDirectory() || isFrame(root.getPath())) {
        return List.of(root);
      }
      List<FileStatus> found = new ArrayList<>();
      collect(root.getPath(), found);
      return found;
    }

    private void collect(Path dir, List<FileStatus> found) throws IOException {
      for (FileStatus status : sorted(fs.listStatus(dir))) {
        String name = status.getPath().getName();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue; // _SUCCESS, _temporary, partial files
        }
        if (isData(status)) {
          found.add(status);
        } else if (status.isDirectory()) {
          collect(status.getPath(), found);
        }
      }
    }

    /** A file's length; an NPY directory's, its files'. */
    long bytes(FileStatus file) throws IOException {
      if (!file.isDirectory()) {
        return file.getLen();
      }
      long sum = 0;
      for (FileStatus part : fs.listStatus(file.getPath())) {
        sum += part.isFile() ? part.getLen() : 0;
      }
      return sum;
    }

    private static List<FileStatus> sorted(FileStatus[] statuses) {
      List<FileStatus> list = new ArrayList<>(Arrays.asList(statuses));
      list.sort(Comparator.comparing(s -> s.getPath().toString()));
      return list;
    }
  }

  private static int firstGlobCharacter(String path) {
    for (int i = 0; i < path.length(); i++) {
      if ("*?[{".indexOf(path.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /** The (key, value) of each folder from {@code base} down to {@code dir}; an error for one not KEY=VALUE. */
  private static List<String[]> partitions(Path base, Path dir, String file) {
    List<String> segments = new ArrayList<>();
    for (Path p = dir; p != null && !p.equals(base); p = p.getParent()) {
      segments.add(0, p.getName());
    }
    List<String[]> pairs = new ArrayList<>();
    for (String name : segments) {
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
