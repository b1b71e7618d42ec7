package io.arrownpz.cli;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.pack.PackOptions;
import io.arrownpz.pack.Packer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pack", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Pack an event table (a row per event) into one row per group: the key columns stay "
        + "scalar, every other column becomes a list of the group's values. Reads and writes every format "
        + "of convert; .npz output uses the packed layout (shared offsets), Parquet gets LIST columns.",
    footer = {"", "Examples:",
        "  arrow-npz pack events.parquet sessions.parquet --key GroupID --order-by Timestamp",
        "  arrow-npz pack events.feather sessions.npz --key GroupID --keep-scalar UserID",
        "  arrow-npz pack events.arrows sessions.feather --key Region,GroupID --sort-groups --drop-null-keys"})
final class PackCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN") Path input;
  @Parameters(index = "1", paramLabel = "OUT") Path output;

  @Option(names = "--key", required = true, split = ",", paramLabel = "COL",
      description = "The column(s) whose values name a group.")
  List<String> keys;

  @Option(names = "--order-by", paramLabel = "COL", description = "Sort events inside each group by COL (stable; "
      + "default: input order).")
  String orderBy;

  @Option(names = "--keep-scalar", split = ",", paramLabel = "COL",
      description = "Keep these columns as one value per group; each must be constant inside every group.")
  List<String> keepScalar = List.of();

  @Option(names = "--detect-scalar", description = "Also keep as scalar every column that is constant inside every group.")
  boolean detectScalar;

  @Option(names = "--sort-groups", description = "Groups in key order (nulls first) instead of order of first appearance.")
  boolean sortGroups;

  @Option(names = "--drop-null-keys", description = "Leave out events with a null key instead of grouping them.")
  boolean dropNullKeys;

  @Option(names = "--from", paramLabel = "FORMAT", description = "Input format, if the extension does not tell.")
  String from;

  @Option(names = "--to", paramLabel = "FORMAT", description = "Output format, if the extension does not tell.")
  String to;

  @Option(names = "--compression", paramLabel = "KIND",
      description = "npz: stored or deflate; Feather and .arrows: none, lz4 or zstd.")
  String compression;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    FileFormat inFormat = Formats.format(spec, from, input, "IN");
    FileFormat outFormat = Formats.format(spec, to, output, "OUT");
    ConvertOptions options = Formats.writeOptions(spec, outFormat, compression, 0);
    long start = System.nanoTime();
    int events;
    int groups;
    try (BufferAllocator allocator = new RootAllocator()) {
      Converter converter = new Converter(allocator);
      try (VectorSchemaRoot table = converter.read(input, inFormat, ConvertOptions.DEFAULTS);
           VectorSchemaRoot packed = pack(table, allocator)) {
        events = table.getRowCount();
        groups = packed.getRowCount();
        converter.write(packed, output, outFormat, options);
      }
    }
    if (!quiet) {
      spec.commandLine().getOut().printf("%s (%,d events) -> %s (%,d groups, %s, %s)%n", input, events, output,
          groups, Units.bytes(Files.size(output)), Units.millis((System.nanoTime() - start) / 1e6));
    }
    return 0;
  }

  /** Packs, naming the input file in what goes wrong with its data. */
  private VectorSchemaRoot pack(VectorSchemaRoot table, BufferAllocator allocator) throws BadFileException {
    try {
      return Packer.pack(table, new PackOptions(keys, orderBy, sortGroups, dropNullKeys, new HashSet<>(keepScalar),
          detectScalar), allocator);
    } catch (IllegalArgumentException e) {
      throw new BadFileException(input.toString(), null, e.getMessage(), e);
    }
  }
}
