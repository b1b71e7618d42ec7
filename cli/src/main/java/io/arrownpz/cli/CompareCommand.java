package io.arrownpz.cli;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The demo's head-to-head on the user's own files. */
@Command(name = "compare", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Write and read your data in every format and compare: median write, open and read times "
        + "over the runs, and sizes. A read touches every value (a checksum), so a memory-mapped format pays "
        + "for its pages; open is the time to a table without touching it. Read is each file's first read, just "
        + "after it was written (cold); reread (warm) reads it again through a cache of mappings the run owns. Takes a file of any format, or a "
        + "directory of them (an NPY directory frame counts as one input).",
    footer = {"", "Examples:", "  arrow-npz compare prices.parquet",
        "  arrow-npz compare exports/ --formats npz,feather,parquet --runs 5",
        "  arrow-npz compare frame.npz --json > results.json",
        "  arrow-npz compare sessions.feather --charts charts/"})
final class CompareCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE|DIR") Path input;

  @Option(names = "--formats", split = ",", paramLabel = "FORMAT",
      description = "Formats to compare: npz, npy-dir, feather, feather-lz4, feather-zstd, arrows, parquet "
          + "(default: all but arrows).")
  List<String> formats;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
      description = "Times each format is written and read (default: ${DEFAULT-VALUE}); medians are reported.")
  int runs;

  @Option(names = "--warmup", paramLabel = "N|auto", defaultValue = "auto", converter = WarmUp.Converter.class,
      description = "Untimed passes over every format before the timed runs, so that no format pays for the JVM's "
          + "warm-up: a number, or auto, passes until the times settle (at least 20 passes, at most 10 s an input; "
          + "default: ${DEFAULT-VALUE}). The timed runs take the formats in a rotating order.")
  WarmUp warmup;

  @Option(names = "--json", description = "Print one JSON document instead of the table.")
  boolean json;

  @Option(names = "--charts", paramLabel = "DIR", description = "Also draw write.png, read.png, reread.png and size.png into DIR.")
  Path charts;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
  boolean quiet;

  /** For the NumPy formats: a pandas frame with a zoned timestamp is measured as the nearest dtype. */
  @CommandLine.Mixin NumpyValueOptions numpy;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (runs < 1 || runs > 1000) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be between 1 and 1000");
    }
    List<Contender> chosen;
    try {
      chosen = formats == null ? Contender.DEFAULTS : formats.stream().map(Contender::named).toList();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    List<Path> files = inputs();
    if (files.isEmpty()) {
      throw new BadFileException(input.toString(), null, "holds no file of a known format ("
          + FileFormat.names() + ")");
    }
    List<Measurement> results = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    Map<String, int[]> shapes = new LinkedHashMap<>();
    ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), !quiet);
    int total = files.size() * chosen.size();
    Path work = StopOnSignal.scratch(Files.createTempDirectory("arrow-npz-compare"));
    Map<String, Integer> warmUpsMade;
    try (BufferAllocator allocator = new RootAllocator()) {
      int[] done = {0};
      HeadToHead race = new HeadToHead(allocator, work, runs, warmup, spec,
          (name, format) -> bar.update(++done[0], total, name + " " + format.label));
      warmUpsMade = race.warmUpsMade();
      Converter converter = new Converter(allocator);
      for (Path file : files) {
        String name = input.equals(file) ? file.getFileName().toString() : input.relativize(file).toString();
        try (VectorSchemaRoot table = converter.read(file, format(file), ConvertOptions.DEFAULTS)) {
          shapes.put(name, new int[] {table.getRowCount(), table.getFieldVectors().size()});
          results.addAll(race.measure(name, table, chosen, numpy.applyTo(ConvertOptions.DEFAULTS)));
        } catch (IOException | IllegalArgumentException e) {
          // One unreadable input does not stop the others; it is reported, and the exit code says so.
          if (files.size() == 1) {
            throw e;
          }
          unreadable.add("arrow-npz: " + (e instanceof BadFileException ? e.getMessage() : file + ": " + e.getMessage()));
          done[0] += chosen.size();
        }
      }
    } finally {
      Trees.delete(work);
      StopOnSignal.done(work);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(ResultTable.json(results, shapes, runs, warmup, warmUpsMade));
    } else {
      out.printf("%d input%s, %d run%s per format (medians); read: a file's first read (cold), reread: the same "
          + "file again (warm)%n%n", files.size(), files.size() == 1 ? "" : "s", runs, runs == 1 ? "" : "s");
      ResultTable.print(out, results);
    }
    if (charts != null) {
      Files.createDirectories(charts);
      for (Path chart : Charts.write(results, runs, charts)) {
        (json ? spec.commandLine().getErr() : out).println("chart: " + chart);
      }
    }
    out.flush();
    unreadable.forEach(spec.commandLine().getErr()::println);
    return unreadable.isEmpty() ? 0 : 1;
  }

  /** The input itself, or the files (and NPY directory frames) directly inside a directory. */
  private List<Path> inputs() throws IOException {
    if (!Files.exists(input)) {
      throw new java.nio.file.NoSuchFileException(input.toString());
    }
    if (!Files.isDirectory(input) || isNpyFrame(input)) {
      return List.of(input);
    }
    try (Stream<Path> entries = Files.list(input)) {
      return entries.filter(p -> isNpyFrame(p) || Files.isRegularFile(p) && FileFormat.ofPath(p) != null)
          .sorted().toList();
    }
  }

  private static boolean isNpyFrame(Path p) {
    return Files.isDirectory(p) && Files.isRegularFile(p.resolve("__meta__.json"));
  }

  private FileFormat format(Path file) throws io.arrownpz.BadFileException {
    return isNpyFrame(file) ? FileFormat.NPY_DIR : Formats.format(spec, null, file, "IN");
  }
}
