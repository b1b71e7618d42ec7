package io.arrownpz.cli;

import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert between .npy and Feather (.feather, .arrow). Formats come from the extensions, "
        + "or from --from/--to.",
    footer = {"", "Examples:",
        "  arrow-npz convert matrix.npy matrix.feather      # rank >= 2 becomes a fixed_shape_tensor column",
        "  arrow-npz convert matrix.feather matrix.npy      # back, with the original dtype",
        "  arrow-npz convert table.arrow price.npy --column price"})
final class ConvertCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN") Path input;
  @Parameters(index = "1", paramLabel = "OUT") Path output;

  @Option(names = "--from", paramLabel = "FORMAT", description = "Input format: npy, feather.")
  String from;

  @Option(names = "--to", paramLabel = "FORMAT", description = "Output format: npy, feather.")
  String to;

  @Option(names = "--column", paramLabel = "NAME", description = "For .npy output: the column to write.")
  String column;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    FileFormat inFormat = format(from, input, "IN");
    FileFormat outFormat = format(to, output, "OUT");
    long start = System.nanoTime();
    try (BufferAllocator allocator = new RootAllocator()) {
      new Converter(allocator).convert(input, inFormat, output, outFormat, column);
    }
    if (!quiet) {
      spec.commandLine().getOut().printf("%s -> %s (%s, %s)%n", input, output,
          Units.bytes(java.nio.file.Files.size(output)), Units.millis((System.nanoTime() - start) / 1e6));
    }
    return 0;
  }

  private FileFormat format(String named, Path path, String label) {
    FileFormat f = named != null ? FileFormat.named(named) : FileFormat.ofPath(path);
    if (f == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), named != null
          ? "unknown format '" + named + "' (known: npy, feather)"
          : "cannot tell the format of " + label + " '" + path + "' from its extension; use --"
              + ("IN".equals(label) ? "from" : "to"));
    }
    return f;
  }
}
