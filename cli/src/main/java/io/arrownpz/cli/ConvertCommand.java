package io.arrownpz.cli;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.npz.NpzWriteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert between .npy, .npz (plain and packed) and Feather (.feather, .arrow). Formats come "
        + "from the extensions, or from --from/--to.",
    footer = {"", "Examples:",
        "  arrow-npz convert matrix.npy matrix.feather      # rank >= 2 becomes a fixed_shape_tensor column",
        "  arrow-npz convert matrix.feather matrix.npy      # back, with the original dtype",
        "  arrow-npz convert columns.npz columns.feather    # one column per member",
        "  arrow-npz convert table.feather table.npz --align 64",
        "  arrow-npz convert table.feather table.npz --compression deflate",
        "  arrow-npz convert mixed.npz prices.feather --member prices",
        "  arrow-npz convert table.arrow price.npy --column price"})
final class ConvertCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN") Path input;
  @Parameters(index = "1", paramLabel = "OUT") Path output;

  @Option(names = "--from", paramLabel = "FORMAT", description = "Input format: npy, npz, feather.")
  String from;

  @Option(names = "--to", paramLabel = "FORMAT", description = "Output format: npy, npz, feather.")
  String to;

  @Option(names = "--column", paramLabel = "NAME", description = "For .npy output: the column to write.")
  String column;

  @Option(names = "--member", paramLabel = "NAME", description = "For .npz input: read only this member.")
  String member;

  @Option(names = "--compression", paramLabel = "KIND", defaultValue = "stored",
      description = "For .npz output: stored (default, as np.savez) or deflate (as np.savez_compressed).")
  String compression;

  @Option(names = "--align", paramLabel = "BYTES", defaultValue = "0",
      description = "For .npz output: start each member's array data on a multiple of BYTES (e.g. 64), so "
          + "that zero-copy reads are aligned.")
  int align;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    FileFormat inFormat = format(from, input, "IN");
    FileFormat outFormat = format(to, output, "OUT");
    boolean deflate = switch (compression.toLowerCase(java.util.Locale.ROOT)) {
      case "stored", "none" -> false;
      case "deflate", "deflated" -> true;
      default -> throw new CommandLine.ParameterException(spec.commandLine(),
          "--compression must be stored or deflate, not '" + compression + "'");
    };
    if (align < 0 || align > 4096 || align != 0 && Integer.bitCount(align) != 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--align must be a power of two up to 4096");
    }
    ConvertOptions options = ConvertOptions.DEFAULTS.withColumn(column).withMember(member)
        .withNpz(new NpzWriteOptions(deflate, align));
    long start = System.nanoTime();
    try (BufferAllocator allocator = new RootAllocator()) {
      new Converter(allocator).convert(input, inFormat, output, outFormat, options);
    }
    if (!quiet) {
      spec.commandLine().getOut().printf("%s -> %s (%s, %s)%n", input, output,
          Units.bytes(Files.size(output)), Units.millis((System.nanoTime() - start) / 1e6));
    }
    return 0;
  }

  private FileFormat format(String named, Path path, String label) {
    FileFormat f = named != null ? FileFormat.named(named) : FileFormat.ofPath(path);
    if (f == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), named != null
          ? "unknown format '" + named + "' (known: " + FileFormat.names() + ")"
          : "cannot tell the format of " + label + " '" + path + "' from its extension; use --"
              + ("IN".equals(label) ? "from" : "to"));
    }
    return f;
  }
}
