package io.arrownpz.cli;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.cli.SamplePanel;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The head-to-head of StaticFrame's article on generated data: nine frames (tall, square, wide; uniform
 * float, mixed, columnar dtypes), each written and read back in every format, with times, sizes, ratios
 * to NPZ and bar charts. A first look, not a benchmark (benchmarks/ has those).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Write and read nine generated frames (the panel of StaticFrame's NPZ article) as NPZ, NPY "
        + "directory, Feather (none, LZ4, ZSTD) and Parquet; print times, sizes and ratios to NPZ, and draw "
        + "bar charts (write.png, read.png, reread.png, size.png).",
    footer = {"", "Examples:", "  arrow-npz demo", "  arrow-npz demo --scale 1e5 --out /tmp/demo",
        "  arrow-npz demo --runs 3 --charts charts/"})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", description = "Keep the written files (and the charts) in DIR "
      + "(default: a temporary directory, deleted afterwards).")
  Path out;

  @Option(names = "--charts", paramLabel = "DIR", description = "Where the PNG charts go (default: --out, or "
      + "./arrow-npz-demo).")
  Path charts;

  @Option(names = "--scale", paramLabel = "N", defaultValue = "1e6",
      description = "Values per frame (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Times each format is written "
      + "and read; medians are shown (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmup", paramLabel = "N|auto", defaultValue = "0", converter = WarmUp.Converter.class,
      description = "Untimed passes over every format of each frame before its timed runs: a number, or auto, "
          + "passes until the times settle (default: ${DEFAULT-VALUE}; the JIT is warmed anyway by a first pass "
          + "over small frames of the same shapes, other files). The timed runs take the formats in a rotating "
          + "order.")
  WarmUp warmup;

  @Option(names = "--peers", paramLabel = "PYTHON|none", description = "A Python with StaticFrame and pyarrow: "
      + "their reads of the same files are set beside ours (default: the project's .venv, which .ci/peers makes, "
      + "when there is one).")
  String peers;

  @Option(names = {"-q", "--quiet"}, description = "Print only the table and the chart paths.")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The Python the peers run in: --peers, else the project's .venv beside the launcher, else none. */
  private Path peersPython() {
    if ("none".equals(peers)) {
      return null;
    }
    if (peers != null) {
      return Path.of(peers);
    }
    String home = System.getProperty("arrownpz.home");
    Path venv = home == null ? null : Path.of(home, ".venv", "bin", "python");
    return venv != null && Files.isExecutable(venv) ? venv : null;
  }

  @Override
  public Integer call() throws IOException {
    if (scale < 100 || scale > 1e8) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--scale must be between 100 and 1e8");
    }
    if (runs < 1 || runs > 100) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be between 1 and 100");
    }
    PrintWriter printer = spec.commandLine().getOut();
    boolean temporary = out == null;
    Path dir = temporary ? StopOnSignal.scratch(Files.createTempDirectory("arrow-npz-demo"))
        : Files.createDirectories(out);
    Path chartDir = Files.createDirectories(charts != null ? charts : out != null ? out : Path.of("arrow-npz-demo"));
    List<Measurement> results = new ArrayList<>();
    int total = SamplePanel.SHAPES.size() * SamplePanel.MIXES.size() * Contender.DEFAULTS.size();
    ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), !quiet);
    ConvertOptions options = ConvertOptions.DEFAULTS.withFrame(
        FrameWriteOptions.DEFAULTS.withIndexFields(List.of(SamplePanel.INDEX)));
    PrintWriter notes = quiet ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getErr();
    // Off-heap memory touched once, about what a frame's writes and reads take at once (the launcher keeps what
    // is freed): a virtual machine backs a fresh page only when first touched, and no timed read should pay that.
    notes.println(MemoryTouch.touch(Math.min(512L << 20, Math.max(16L << 20, (long) (scale * 8 * 64)))));
    PythonPeers python = PythonPeers.start(peersPython(), notes);
    notes.flush();
    try (BufferAllocator allocator = new RootAllocator()) {
      // The JIT (and the peers' imports) warmed on other files: the nine shapes, small, untimed.
      HeadToHead warmUp = new HeadToHead(allocator, dir, 1, WarmUp.passes(0), spec, (input, format) -> { });
      warmUp.setPeers(python);
      warmUp.newFrameEachAttempt();
      for (String shape : SamplePanel.SHAPES) {
        for (String mix : SamplePanel.MIXES) {
          try (VectorSchemaRoot table = SamplePanel.frame(shape, mix, Math.max(100, scale / 100), allocator)) {
            warmUp.measure("warm-up " + shape + "_" + mix, table, Contender.DEFAULTS, options);
          }
        }
      }
      int[] done = {0};
      HeadToHead race = new HeadToHead(allocator, dir, runs, warmup, spec,
          (input, format) -> bar.update(++done[0], total, input + " " + format.label));
      race.setPeers(python);
      race.newFrameEachAttempt(); // each read a first read of a frame never seen, as a file's first read is
      for (String shape : SamplePanel.SHAPES) {
        for (String mix : SamplePanel.MIXES) {
          String frame = shape + "_" + mix;
          try (VectorSchemaRoot table = SamplePanel.frame(shape, mix, scale, allocator)) {
            results.addAll(race.measure(frame, table, Contender.DEFAULTS, options));
          }
        }
      }
    } finally {
      if (python != null) {
        python.close();
      }
      if (temporary) {
        Trees.delete(dir);
        StopOnSignal.done(dir);
      }
    }
    printer.printf("%nnine frames of about %s values each, %d run%s per format (medians), the JIT warmed on other "
        + "files first; read: a file's first read (cold), reread: the same file again (warm)%n%n", Units.count(scale),
        runs, runs == 1 ? "" : "s");
    ResultTable.print(printer, results);
    printer.println();
    if (python != null) {
      PeerTable.print(printer, results, python, runs);
      printer.println();
    }
    for (Path chart : Charts.write(results, runs, chartDir)) {
      printer.println("chart: " + chart);
    }
    if (!temporary) {
      printer.println("files in " + dir);
    }
    printer.flush();
    return 0;
  }
}
