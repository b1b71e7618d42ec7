package io.arrownpz.cli;

import io.arrownpz.pack.UnpackOptions;
import io.arrownpz.pack.Unpacker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
  @Parameters(arity = "2..*", paramLabel = "IN... OUT", description = "Inputs, then the output: a file to a file "
      + "(- for standard input or output, the latter with --to), or several files, quoted patterns or directories "
      + "into the directory OUT (with --to), as one file is when OUT ends with / or is a directory; a directory "
      + "(its files, or its Hive partitions) or several inputs into one file OUT: all of them, one table.")
  List<String> paths;

  @Option(names = "--position", paramLabel = "NAME",
      description = "Add an int32 column NAME: each event's index inside its group.")
  String position;

  @Option(names = "--keep-empty", description = "A row with empty lists gives one row of nulls (default: no row).")
  boolean keepEmpty;

  @CommandLine.Mixin TableTransform io;


  @Override
  public Integer call() throws IOException {
    UnpackOptions options = new UnpackOptions(position, keepEmpty);
    return io.runAll(paths, "unpacking", (table, allocator) -> Unpacker.unpack(table, allocator, options),
        "groups", "events");
  }
}
