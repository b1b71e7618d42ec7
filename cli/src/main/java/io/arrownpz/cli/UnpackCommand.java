package io.arrownpz.cli;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.pack.UnpackOptions;
import io.arrownpz.pack.Unpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "unpack", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Explode a packed table (list columns) back to a row per event, repeating the scalar columns.",
    footer = {"", "Examples:",
        "  arrow-npz unpack sessions.npz events.parquet",
        "  arrow-npz unpack sessions.parquet events.feather --position EventIndex",
        "  arrow-npz unpack sessions.feather events.npz --keep-empty"})
final class UnpackCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN") Path input;
  @Parameters(index = "1", paramLabel = "OUT") Path output;

  @Option(names = "--position", paramLabel = "NAME",
      description = "Add an int32 column NAME: each event's index inside its group.")
  String position;

  @Option(names = "--keep-empty", description = "A row with empty lists gives one row of nulls (default: no row).")
  boolean keepEmpty;

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
    int groups;
    int events;
    try (BufferAllocator allocator = new RootAllocator()) {
      Converter converter = new Converter(allocator);
      try (VectorSchemaRoot packed = converter.read(input, inFormat, ConvertOptions.DEFAULTS);
           VectorSchemaRoot table = unpack(packed, allocator)) {
        groups = packed.getRowCount();
        events = table.getRowCount();
        converter.write(table, output, outFormat, options);
      }
    }
    if (!quiet) {
      spec.commandLine().getOut().printf("%s (%,d groups) -> %s (%,d events, %s, %s)%n", input, groups, output,
          events, Units.bytes(Files.size(output)), Units.millis((System.nanoTime() - start) / 1e6));
    }
    return 0;
  }

  /** Unpacks, naming the input file in what goes wrong with its data. */
  private VectorSchemaRoot unpack(VectorSchemaRoot packed, BufferAllocator allocator) throws BadFileException {
    try {
      return Unpacker.unpack(packed, new UnpackOptions(position, keepEmpty), allocator);
    } catch (IllegalArgumentException e) {
      throw new BadFileException(input.toString(), null, e.getMessage(), e);
    }
  }
}
