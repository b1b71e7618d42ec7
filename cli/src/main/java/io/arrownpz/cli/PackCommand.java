package io.arrownpz.cli;

import io.arrownpz.pack.PackOptions;
import io.arrownpz.pack.Packer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
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
  @Parameters(arity = "2..*", paramLabel = "IN... OUT", description = "Inputs, then the output: a file to a file "
      + "(- for standard input or output, the latter with --to), or several files, quoted patterns or directories "
      + "into the directory OUT (with --to), as one file is when OUT ends with / or is a directory; a directory "
      + "(its files, or its Hive partitions) or several inputs into one file OUT: all of them, one table.")
  List<String> paths;

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

  @CommandLine.Mixin TableTransform io;


  @Override
  public Integer call() throws IOException {
    PackOptions options = new PackOptions(keys, orderBy, sortGroups, dropNullKeys, new HashSet<>(keepScalar),
        detectScalar);
    return io.runAll(paths, "packing", (table, allocator) -> Packer.pack(table, allocator, options), "events",
        "groups");
  }
}
