package io.arrownpz.cli;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.DirectoryConverter;
import io.arrownpz.bridge.internal.InputPatterns;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.dataset.FolderDataset;
import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.internal.io.Trees;
import io.arrownpz.npz.NpzLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "convert", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Convert between .npy, .npz (StaticFrame frames, plain and packed), NPY directories (frames), "
        + "Feather (.feather, .arrow), Arrow IPC streams (.arrows) and Parquet (.parquet). Formats come from the "
        + "extensions (a directory is npy-dir), or from --from/--to.",
    footer = {"", "Examples:",
        "  arrow-npz convert matrix.npy matrix.feather      # rank >= 2 becomes a fixed_shape_tensor column",
        "  arrow-npz convert matrix.feather matrix.npy      # back, with the original dtype",
        "  arrow-npz convert columns.npz columns.feather    # one column per member",
        "  arrow-npz convert table.feather table.npz --align 64",
        "  arrow-npz convert table.feather table.npz --compression deflate",
        "  arrow-npz convert mixed.npz prices.feather --member prices",
        "  arrow-npz convert frame.npz frame.feather       # index fields, then columns; pandas restores the index",
        "  arrow-npz convert frame.feather frame.npz       # back to the same frame",
        "  arrow-npz convert frame.npz outdir/ --to npy-dir",
        "  arrow-npz convert prices.feather prices.npz --layout frame --index date",
        "  arrow-npz convert table.arrow price.npy --column price",
        "  arrow-npz convert frame.npz frame.parquet        # pandas.read_parquet restores the index",
        "  arrow-npz convert data.parquet data.feather --compression zstd",
        "  arrow-npz convert exports/ converted/ --to parquet   # every file, in parallel",
        "  arrow-npz convert a.parquet b.parquet out/ --to npz",
        "  arrow-npz convert 'exports/**/*.parquet' out/ --to npz   # a pattern, expanded by arrow-npz",
        "  cat t.parquet | arrow-npz convert - t.npz     # a pipe's format from its first bytes",
        "  arrow-npz convert weights.npz weights/ --to feather   # arrays of different lengths: a file each"})
final class ConvertCommand implements Callable<Integer> {
  @Parameters(arity = "2..*", paramLabel = "IN... OUT", description = "Inputs, then the output. An input is a file, "
      + "an NPY directory, a directory of files, a quoted glob ('exports/**/*.parquet'), or - for standard input "
      + "(its format told by its first bytes). With one input, OUT is a file, or - for standard output (with --to); with several inputs, "
      + "a glob or a directory, or when OUT ends with / or is a directory, OUT is a directory (made when missing) "
      + "that gets a file per input and --to names the format. A directory (its files, or its Hive partitions), "
      + "or several inputs, and OUT naming one file by its extension (or -): all of them one after another, "
      + "into that file.")
  java.util.List<String> paths;

  private Path input;
  private Path output;

  @Option(names = "--from", paramLabel = "FORMAT", description = "Input format: npy, npz, npy-dir, feather, arrows, parquet.")
  String from;

  @Option(names = "--to", paramLabel = "FORMAT", description = "Output format: npy, npz, npy-dir, feather, arrows, parquet.")
  String to;

  @CommandLine.Mixin NumpyOutputOptions numpy;

  @Option(names = "--member", paramLabel = "NAME", description = "For .npz input: read only this member.")
  String member;

  @Option(names = "--compression", paramLabel = "KIND",
      description = "For .npz output: stored (default, as np.savez) or deflate (as np.savez_compressed). For "
          + "Feather and .arrows output: none (default), lz4 or zstd. For Parquet output: snappy (default, as "
          + "pyarrow), zstd or none.")
  String compression;

  @Option(names = "--align", paramLabel = "BYTES", defaultValue = "0",
      description = "For .npz output: start each member's array data on a multiple of BYTES (e.g. 64), so "
          + "that zero-copy reads are aligned.")
  int align;

  @Option(names = "--layout", paramLabel = "LAYOUT",
      description = "For .npz output: frame (StaticFrame), plain (np.savez) or packed (list columns). Default: "
          + "a frame when the input was one, packed when the table has list columns, plain otherwise.")
  String layout;

  @Option(names = "--index", paramLabel = "FIELD", split = ",",
      description = "For frame output from a plain table: the fields that form the index (default: an automatic index).")
  java.util.List<String> index = java.util.List.of();

  @Option(names = "--blocks", paramLabel = "KIND", defaultValue = "fortran",
      description = "For frame output: fortran (adjacent columns of one dtype in one column-major block, the "
          + "default), c (row-major blocks, as StaticFrame consolidates), or one (a block per column).")
  String blocks;

  @Option(names = "--overwrite", description = Outputs.OVERWRITE_HELP)
  boolean overwrite;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--threads", paramLabel = "N", description = "For a directory of files: how many to convert "
      + "at once (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws IOException {
    java.util.List<String> ins = paths.subList(0, paths.size() - 1);
    output = Path.of(paths.get(paths.size() - 1));
    if (ins.size() > 1 || InputPatterns.isPattern(ins.get(0))) {
      java.util.List<Path> inputs = new java.util.ArrayList<>();
      for (String in : ins) {
        inputs.addAll(InputPatterns.expand(in));
      }
      return convertMany(inputs);
    }
    input = Path.of(ins.get(0));
    if (FolderDataset.isFolder(input)) {
      if (Outputs.isOneFile(paths.get(paths.size() - 1))) {
        FolderDataset folder = FolderDataset.of(input);
        return convertWhole(folder, input + " (" + folder.files().size() + " files)");
      }
      return convertMany(Outputs.filesIn(input));
    }
    if (Outputs.intoDirectory(spec, ins.get(0), paths.get(paths.size() - 1), to)) {
      return convertMany(java.util.List.of(input));
    }
    Path target = StandardStreams.output(spec, output, to);
    try (StandardStreams in = StandardStreams.input(spec, input, from, System.in)) {
      Path source = in.path();
      FileFormat inFormat = format(from, source, "IN");
      FileFormat outFormat = format(to, target, "OUT");
      ConvertOptions options = options(outFormat);
      Outputs.check(java.util.List.of(target), overwrite);
      long start = System.nanoTime();
      try (BufferAllocator allocator = new RootAllocator()) {
        ProgressBar.whileRunning(spec.commandLine().getErr(), !quiet, "converting " + source.getFileName(), () -> {
          new Converter(allocator).convert(source, inFormat, target, outFormat, options);
          return null;
        });
      }
      if (!quiet) {
        // Written to a pipe or device (/dev/stdout): the summary must not join the data on stdout.
        Outputs.summary(spec, target).printf("%s -> %s (%s, %s)%n", input, output, Outputs.size(target),
            Units.millis((System.nanoTime() - start) / 1e6));
      }
    }
    return 0;
  }

  /**
   * A folder read as one table (its files of one schema, or its Hive partitions with their keys as
   * columns, as pyarrow reads it), or several inputs one after another, into the one file OUT.
   */
  private int convertWhole(FolderDataset dataset, String label) throws IOException {
    Path target = StandardStreams.output(spec, output, to);
    FileFormat outFormat = format(to, target, "OUT");
    ConvertOptions options = options(outFormat);
    Outputs.check(java.util.List.of(target), overwrite);
    long start = System.nanoTime();
    try (BufferAllocator allocator = new RootAllocator()) {
      ProgressBar.whileRunning(spec.commandLine().getErr(), !quiet, "converting " + label, () -> {
        try (ArrowReader reader = dataset.openReader(allocator)) {
          new Converter(allocator).write(reader, target, outFormat, options);
        }
        return null;
      });
    }
    if (!quiet) {
      Outputs.summary(spec, target).printf("%s -> %s (%s, %s)%n", label, output,
          Outputs.size(target), Units.millis((System.nanoTime() - start) / 1e6));
    }
    return 0;
  }

  /** The options for writing {@code outFormat}; --compression means what that format can do. */
  private ConvertOptions options(FileFormat outFormat) {
    return numpy.applyTo(Formats.writeOptions(spec, outFormat, compression, align)).withMember(member)
        .withLayout(layout())
        .withFrame(FrameWriteOptions.DEFAULTS.withBlocks(blockLayout()).withIndexFields(index));
  }

  /**
   * Several inputs (a directory's files, patterns, a list): each converted into the directory OUT, in
   * parallel, with a progress bar on a terminal.
   */
  private int convertMany(java.util.List<Path> given) throws IOException {
    // Pipes among the inputs (<(...)) are spooled first: they can be read only once.
    java.util.List<StandardStreams> spooled = new java.util.ArrayList<>();
    try {
      java.util.List<Path> inputs = new java.util.ArrayList<>();
      for (Path input : given) {
        if (StandardStreams.readOnce(input)) {
          StandardStreams in = StandardStreams.input(spec, input, from, System.in);
          spooled.add(in);
          inputs.add(in.path());
        } else {
          inputs.add(input);
        }
      }
      if (Outputs.isOneFile(paths.get(paths.size() - 1))) {
        return convertWhole(FolderDataset.ofFiles(inputs), inputs.size() + " inputs");
      }
      return convertFiles(inputs);
    } finally {
      for (StandardStreams in : spooled) {
        in.close();
      }
    }
  }

  private int convertFiles(java.util.List<Path> inputs) throws IOException {
    FileFormat outFormat = Outputs.directoryFormat(spec, to, output);
    ConvertOptions options = options(outFormat);
    // Every output planned and checked before any work: collisions, and existing files without --overwrite.
    Outputs.check(DirectoryConverter.plan(inputs, output, outFormat).values(), overwrite);
    var err = spec.commandLine().getErr();
    var out = spec.commandLine().getOut();
    ProgressBar bar = new ProgressBar(err, !quiet);
    long start = System.nanoTime();
    java.util.List<DirectoryConverter.Result> results;
    try (BufferAllocator allocator = new RootAllocator()) {
      results = new DirectoryConverter(allocator, threads).convert(inputs, output, outFormat, options,
          (done, total, file, failure) -> bar.update(done, total, file.getFileName().toString()));
    }
    int failed = 0;
    for (DirectoryConverter.Result r : results) {
      if (r.failure() != null) {
        failed++;
        err.println("arrow-npz: " + StandardStreams.named(r.failure().getMessage()));
      }
    }
    if (!quiet) {
      out.printf("%d of %d files converted into %s (%s)%n", results.size() - failed, results.size(), output,
          Units.millis((System.nanoTime() - start) / 1e6));
    }
    return failed == 0 ? 0 : 1;
  }

  private NpzLayout layout() {
    if (layout == null) {
      return null;
    }
    for (NpzLayout l : NpzLayout.values()) {
      if (l.label().equalsIgnoreCase(layout)) {
        return l;
      }
    }
    throw new CommandLine.ParameterException(spec.commandLine(), "--layout must be frame, plain or packed");
  }

  private FrameWriteOptions.BlockLayout blockLayout() {
    return switch (blocks.toLowerCase(java.util.Locale.ROOT)) {
      case "fortran", "f" -> FrameWriteOptions.BlockLayout.FORTRAN_2D;
      case "c" -> FrameWriteOptions.BlockLayout.C_ORDER_2D;
      case "one" -> FrameWriteOptions.BlockLayout.ONE_PER_COLUMN;
      default -> throw new CommandLine.ParameterException(spec.commandLine(), "--blocks must be fortran, c or one");
    };
  }

  private FileFormat format(String named, Path path, String label) throws io.arrownpz.BadFileException {
    return Formats.format(spec, named, path, label);
  }
}
