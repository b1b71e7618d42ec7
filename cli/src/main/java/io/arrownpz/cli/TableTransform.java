package io.arrownpz.cli;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.DirectoryConverter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.dataset.FolderDataset;
import io.arrownpz.bridge.internal.InputPatterns;
import io.arrownpz.bridge.internal.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options and the run of a command that reads a table in any format, turns it into another and
 * writes that in any format (pack, unpack): a picocli mixin.
 */
final class TableTransform {
  @FunctionalInterface
  interface Step {
    VectorSchemaRoot apply(VectorSchemaRoot table, BufferAllocator allocator);
  }

  @Option(names = "--from", paramLabel = "FORMAT", description = "Input format, if the extension does not tell.")
  String from;

  @Option(names = "--to", paramLabel = "FORMAT", description = "Output format, if the extension does not tell.")
  String to;

  @Option(names = "--compression", paramLabel = "KIND",
      description = "npz: stored or deflate; Feather and .arrows: none, lz4 or zstd; Parquet: snappy, zstd or none.")
  String compression;

  @Option(names = "--overwrite", description = Outputs.OVERWRITE_HELP)
  boolean overwrite;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
  boolean quiet;

  /** What a NumPy output takes, as for convert (a pack's zoned timestamps, an unpack's nulls). */
  @CommandLine.Mixin NumpyOutputOptions numpy;

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE) CommandLine.Model.CommandSpec spec;

  /**
   * The command's IN... OUT arguments: one input to one output (a file, or - for standard input or
   * output); or several inputs, patterns ('exports/**&#47;*.parquet') or directories of files (or one input
   * with OUT ending with a slash or naming a directory), each into the directory OUT (made when missing) as
   * STEM plus --to's extension, every output checked before any work.
   */
  int runAll(List<String> paths, String doing, Step step, String inUnit, String outUnit) throws IOException {
    List<String> ins = paths.subList(0, paths.size() - 1);
    Path output = Path.of(paths.get(paths.size() - 1));
    Path first = Path.of(ins.get(0));
    boolean directory = FolderDataset.isFolder(first);
    if (ins.size() == 1 && directory && Outputs.isOneFile(paths.get(paths.size() - 1))) {
      return runFolder(FolderDataset.of(first), output, doing, step, inUnit, outUnit);
    }
    if (ins.size() == 1 && !InputPatterns.isPattern(ins.get(0)) && !directory
        && !Outputs.intoDirectory(spec, ins.get(0), paths.get(paths.size() - 1), to)) {
      return run(first, output, doing, step, inUnit, outUnit);
    }
    List<Path> inputs = new ArrayList<>();
    for (String in : ins) {
      Path path = Path.of(in);
      inputs.addAll(FolderDataset.isFolder(path) ? Outputs.filesIn(path) : InputPatterns.expand(in));
    }
    if (Outputs.isOneFile(paths.get(paths.size() - 1))) {
      return runFolder(FolderDataset.ofFiles(inputs), output, doing, step, inUnit, outUnit);
    }
    Map<Path, Path> plan = DirectoryConverter.plan(inputs, output, Outputs.directoryFormat(spec, to, output));
    Outputs.check(plan.values(), overwrite);
    Files.createDirectories(output);
    int failed = 0;
    for (Map.Entry<Path, Path> e : plan.entrySet()) {
      try {
        run(e.getKey(), e.getValue(), doing, step, inUnit, outUnit);
      } catch (IOException | RuntimeException failure) {
        failed++; // one line for this input; the others still run
        spec.commandLine().getErr().println("arrow-npz: " + failure.getMessage());
      }
    }
    return failed == 0 ? 0 : 1;
  }

  int run(Path input, Path output, String doing, Step step, String inUnit, String outUnit) throws IOException {
    Path target = StandardStreams.output(spec, output, to);
    try (StandardStreams in = StandardStreams.input(spec, input, from, System.in)) {
      Path source = in.path();
      FileFormat inFormat = Formats.format(spec, from, source, "IN");
      return run((converter, allocator) -> converter.read(source, inFormat, ConvertOptions.DEFAULTS), input, target,
          output, doing, step, inUnit, outUnit);
    }
  }

  /**
   * A folder's files (or Hive partitions, keys as columns), or several inputs, read as one table into the one
   * file OUT.
   */
  private int runFolder(FolderDataset dataset, Path output, String doing, Step step, String inUnit, String outUnit)
      throws IOException {
    Path target = StandardStreams.output(spec, output, to);
    return run((converter, allocator) -> {
      try (ArrowReader files = dataset.openReader(allocator)) {
        return Tables.collect(files, allocator);
      }
    }, dataset.dir() != null ? dataset.dir() : Path.of(dataset.files().size() + " inputs"), target, output, doing,
        step, inUnit, outUnit);
  }

  /** Reads the input's table. */
  @FunctionalInterface
  private interface TableSource {
    VectorSchemaRoot read(Converter converter, BufferAllocator allocator) throws IOException;
  }

  private int run(TableSource source, Path input, Path target, Path output, String doing, Step step, String inUnit,
      String outUnit) throws IOException {
    FileFormat outFormat = Formats.format(spec, to, target, "OUT");
    ConvertOptions options = numpy.applyTo(Formats.writeOptions(spec, outFormat, compression, 0));
    Outputs.check(java.util.List.of(target), overwrite);
    long start = System.nanoTime();
    int before;
    int after;
    try (BufferAllocator allocator = new RootAllocator()) {
      Converter converter = new Converter(allocator);
      ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), !quiet);
      bar.update(0, 3, "reading " + input.getFileName());
      try (VectorSchemaRoot table = source.read(converter, allocator)) {
        bar.update(1, 3, doing);
        try (VectorSchemaRoot result = apply(step, table, allocator, input)) {
          before = table.getRowCount();
          after = result.getRowCount();
          bar.update(2, 3, "writing " + output.getFileName());
          converter.write(result, target, outFormat, options, input);
          bar.update(3, 3, "done");
        }
      }
    }
    if (!quiet) {
      Outputs.summary(spec, target).printf("%s (%,d %s) -> %s (%,d %s, %s, %s)%n", input, before, inUnit, output,
          after, outUnit, Outputs.size(target), Units.millis((System.nanoTime() - start) / 1e6));
    }
    return 0;
  }

  private static VectorSchemaRoot apply(Step step, VectorSchemaRoot table, BufferAllocator allocator, Path input)
      throws BadFileException {
    try {
      return step.apply(table, allocator);
    } catch (IllegalArgumentException e) {
      throw new BadFileException(input.toString(), null, e.getMessage(), e);
    }
  }
}
