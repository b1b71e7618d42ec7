package io.arrownpz.bridge;

import io.arrownpz.BadFileException;
import io.arrownpz.NumpyTables;
import io.arrownpz.internal.io.AtomicFile;
import io.arrownpz.internal.io.SafeNames;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Converts every convertible file of a directory into another directory, in parallel: each file has its
 * own child allocator and its own output, named after the input's stem with the target's extension.
 * Frames stored as NPY directories count as files. A failure names the file; the others still convert.
 */
public final class DirectoryConverter {
  /** Told about each file as it finishes. */
  @FunctionalInterface
  public interface Progress {
    void finished(int done, int total, Path input, IOException failure);
  }

  /** One input and what became of it. */
  public record Result(Path input, Path output, IOException failure) {}

  private final BufferAllocator allocator;
  private final int threads;

  public DirectoryConverter(BufferAllocator allocator, int threads) {
    this.allocator = allocator;
    this.threads = Math.max(1, threads);
  }

  /** The files of {@code dir} that the bridge can read, sorted by name. */
  public static List<Path> inputs(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> !p.getFileName().toString().startsWith("."))
          // Pipes, sockets and devices are not files of data to convert (opening a pipe waits for a writer).
          .filter(p -> Files.isDirectory(p) ? Files.isRegularFile(p.resolve("__meta__.json"))
              : Files.isRegularFile(p) && FileFormat.ofPath(p) != null)
          .sorted()
          .toList();
    }
  }

  /**
   * Where each input goes, planned before any work starts: two inputs must never map to one output
   * (data.arrow and data.arrows both becoming data.feather), and no output may be an input.
   *
   * @throws IllegalArgumentException naming the inputs that collide and the output they share
   */
  public static Map<Path, Path> plan(List<Path> inputs, Path outputDir, FileFormat to) {
    return plan(inputs, outputDir, to, tablesOf(inputs));
  }

  /** As {@link #plan(List, Path, FileFormat)}, with each input's tables as {@link #tablesOf} found them. */
  private static Map<Path, Path> plan(List<Path> inputs, Path outputDir, FileFormat to, Map<Path, List<String>> tables) {
    Map<Path, Path> outputs = new LinkedHashMap<>();
    Map<Path, List<Path>> byOutput = new LinkedHashMap<>();
    Set<Path> inputSet = new HashSet<>();
    for (Path input : inputs) {
      inputSet.add(input.toAbsolutePath().normalize());
    }
    for (Path input : inputs) {
      // An archive of arrays of different lengths is a set of tables: a directory of them, a file each.
      Path output = outputDir.resolve(Converter.stem(input) + (tables.get(input).isEmpty() ? extension(to) : ""));
      outputs.put(input, output);
      byOutput.computeIfAbsent(output.toAbsolutePath().normalize(), k -> new ArrayList<>()).add(input);
    }
    for (Map.Entry<Path, List<Path>> e : byOutput.entrySet()) {
      if (e.getValue().size() > 1) {
        throw new IllegalArgumentException(e.getValue().stream().map(p -> p.getFileName().toString())
            .collect(Collectors.joining(", ")) + " would all be written to " + e.getKey()
            + "; nothing was converted (rename one, or convert them separately)");
      }
      if (inputSet.contains(e.getKey())) {
        throw new IllegalArgumentException(e.getValue().get(0) + " would be written over the input " + e.getKey()
            + "; nothing was converted (choose another output directory)");
      }
    }
    return outputs;
  }

  public List<Result> convert(Path inputDir, Path outputDir, FileFormat to, ConvertOptions options, Progress progress)
      throws IOException {
    return convert(inputs(inputDir), outputDir, to, options, progress);
  }

  /** Converts the given inputs (files or NPY-directory frames) into {@code outputDir}, made when missing. */
  public List<Result> convert(List<Path> inputs, Path outputDir, FileFormat to, ConvertOptions options,
      Progress progress) throws IOException {
    // Each input's tables looked up once, so that where it goes and how it is converted agree.
    Map<Path, List<String>> tablesByInput = tablesOf(inputs);
    Map<Path, Path> outputs = plan(inputs, outputDir, to, tablesByInput);
    Files.createDirectories(outputDir);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger done = new AtomicInteger();
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (Path input : inputs) {
        Path output = outputs.get(input);
        futures.add(pool.submit(() -> {
          IOException failure = null;
          try (BufferAllocator child = allocator.newChildAllocator(input.toString(), 0, Long.MAX_VALUE)) {
            FileFormat from = FileFormat.ofInput(input); // its first bytes, else its extension
            if (from == null) {
              throw new BadFileException(input, null, FileFormat.UNKNOWN_INPUT);
            }
            List<String> tables = tablesByInput.get(input);
            if (tables.isEmpty()) {
              new Converter(child).convert(input, from, output, to, options);
            } else {
              convertTables(new Converter(child), input, tables, output, to, options);
            }
          } catch (IOException e) {
            failure = e;
          } catch (RuntimeException e) {
            failure = new IOException(input + ": " + e.getMessage(), e);
          }
          if (progress != null) {
            progress.finished(done.incrementAndGet(), inputs.size(), input, failure);
          }
          return new Result(input, output, failure);
        }));
      }
      List<Result> results = new ArrayList<>();
      for (Future<Result> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          throw new IOException(e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted");
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<Path, List<String>> tablesOf(List<Path> inputs) {
    Map<Path, List<String>> tables = new java.util.HashMap<>();
    for (Path input : inputs) {
      tables.put(input, tablesOf(input));
    }
    return tables;
  }

  /** The tables of an NPZ of arrays of different lengths ({@link NumpyTables#tables}); empty for any other input. */
  public static List<String> tablesOf(Path input) {
    if (FileFormat.ofInput(input) != FileFormat.NPZ) {
      return List.of();
    }
    try {
      return NumpyTables.tables(input);
    } catch (IOException | RuntimeException e) {
      return List.of(); // its conversion reports what is wrong with it
    }
  }

  /**
   * Each table of an archive of arrays of different lengths into its own file, {@code TABLE.EXT}, in the
   * directory {@code output}: built beside it under a hidden name and renamed into place whole, so a
   * failure leaves no partial directory. A directory already there is replaced only when it holds nothing
   * but such files (a conversion's earlier output).
   */
  static void convertTables(Converter converter, Path input, List<String> tables, Path output, FileFormat to,
      ConvertOptions options) throws IOException {
    Path target = output.toAbsolutePath().normalize();
    Files.createDirectories(target.getParent());
    boolean replacing = Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    if (replacing && !holdsOnly(target, extension(to)) || !replacing && Files.exists(target)) {
      throw new java.nio.file.FileAlreadyExistsException(target.toString(), null,
          "exists and is not a directory of " + to.formatName() + " files; not replaced");
    }
    Path work = AtomicFile.newWorkDirectory(target.getParent(), target.getFileName().toString());
    try {
      for (String table : tables) {
        Path file = SafeNames.resolveInside(work, table + extension(to));
        Files.createDirectories(file.getParent());
        converter.convert(input, FileFormat.NPZ, file, to, options.withRead(options.read().withMember(table)));
      }
      if (replacing) {
        AtomicFile.replaceDirectory(target, work);
      } else {
        Files.move(work, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException | RuntimeException e) {
      Trees.delete(work);
      throw e;
    }
  }

  /** Whether every file under {@code dir} ends with {@code extension} (for NPY directories: is in a frame). */
  private static boolean holdsOnly(Path dir, String extension) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !Files.isDirectory(p))
          .allMatch(p -> extension.isEmpty() ? p.toString().contains(".npy") || p.endsWith("__meta__.json")
              : p.getFileName().toString().endsWith(extension));
    }
  }

  /** The file extension a format's outputs get (none for NPY directories). */
  public static String extension(FileFormat to) {
    return switch (to) {
      case NPY -> ".npy";
      case NPZ -> ".npz";
      case NPY_DIR -> "";
      case FEATHER -> ".feather";
      case IPC_STREAM -> ".arrows";
      case PARQUET -> ".parquet";
    };
  }
}
