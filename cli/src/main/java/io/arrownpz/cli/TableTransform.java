package io.arrownpz.cli;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
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
      description = "npz: stored or deflate; Feather and .arrows: none, lz4 or zstd.")
  String compression;

  @Option(names = "--overwrite", description = Outputs.OVERWRITE_HELP)
  boolean overwrite;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
  boolean quiet;

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE) CommandLine.Model.CommandSpec spec;

  /**
   * Reads {@code input}, applies {@code step} ({@code doing} names it on the progress bar), writes
   * {@code output}, and prints "IN (N inUnit) -> OUT (M outUnit, size, time)". What goes wrong with the
   * data is reported against the input file.
   */
  int run(Path input, Path output, String doing, Step step, String inUnit, String outUnit) throws IOException {
    Path target = StandardStreams.output(spec, output, to);
    try (StandardStreams in = StandardStreams.input(spec, input, from, System.in)) {
      return run(in.path(), input, target, output, doing, step, inUnit, outUnit);
    }
  }

  private int run(Path source, Path input, Path target, Path output, String doing, Step step, String inUnit,
      String outUnit) throws IOException {
    FileFormat inFormat = Formats.format(spec, from, source, "IN");
    FileFormat outFormat = Formats.format(spec, to, target, "OUT");
    ConvertOptions options = Formats.writeOptions(spec, outFormat, compression, 0);
    Outputs.check(java.util.List.of(target), overwrite);
    long start = System.nanoTime();
    int before;
    int after;
    try (BufferAllocator allocator = new RootAllocator()) {
      Converter converter = new Converter(allocator);
      ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), !quiet);
      bar.update(0, 3, "reading " + input.getFileName());
      try (VectorSchemaRoot table = converter.read(source, inFormat, ConvertOptions.DEFAULTS)) {
        bar.update(1, 3, doing);
        try (VectorSchemaRoot result = apply(step, table, allocator, input)) {
          before = table.getRowCount();
          after = result.getRowCount();
          bar.update(2, 3, "writing " + output.getFileName());
          converter.write(result, target, outFormat, options);
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
