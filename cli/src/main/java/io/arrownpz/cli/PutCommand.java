package io.arrownpz.cli;

import io.arrownpz.bridge.FileFormat;
import io.arrownpz.flight.FlightFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Uploads a file of any format to a Flight service, which writes it in the format the path names. */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Upload FILE to an Arrow Flight service as PATH; the service writes the format PATH's extension "
        + "names (.npz, .npy, .feather, .arrows, .parquet, or a trailing / for an NPY directory), and refuses a "
        + "PATH that exists.",
    footer = {"", "Examples:", "  arrow-npz put events.parquet grpc://127.0.0.1:8815/incoming/events.npz"})
final class PutCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "Any file the bridge reads (- for standard input, "
      + "its format told by its first bytes; a pipe or device is read once, as convert reads it).")
  Path input;

  @Option(names = "--from", paramLabel = "FORMAT", description = "Input format, where FILE's name and bytes do not say.")
  String from;

  @Parameters(index = "1", paramLabel = "grpc://HOST:PORT/PATH", description = "Where the service writes it.",
      converter = DatasetAddress.class)
  URI address;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
  boolean quiet;

  @CommandLine.Mixin FlightAccess access;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    try (StandardStreams in = StandardStreams.input(spec, input, from, System.in);
        BufferAllocator allocator = new RootAllocator()) {
      FileFormat format = Formats.format(spec, from, in.path(), "IN");
      FlightFiles.Transfer t = FlightFiles.put(in.path(), format, address, access.client(1), allocator);
      if (!quiet) {
        spec.commandLine().getOut().println("put " + t.rows() + " rows to " + address);
      }
    }
    return 0;
  }
}
