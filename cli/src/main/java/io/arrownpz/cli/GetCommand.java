package io.arrownpz.cli;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.DirectoryConverter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.flight.FlightFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Reads a dataset from a Flight service (every endpoint, in parallel) into a file of any format. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Read a dataset from an Arrow Flight service into OUT, in the format OUT's extension names "
        + "(or --to). A partitioned dataset's endpoints are read in parallel, in order.",
    footer = {"", "Examples:", "  arrow-npz get grpc://127.0.0.1:8815/frames/prices.npz prices.feather",
        "  arrow-npz get grpc+tls://host:8815/parts parts.parquet --token-file token.txt --tls-cert cert.pem"})
final class GetCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "grpc://HOST:PORT/PATH", description = "The dataset.",
      converter = DatasetAddress.class)
  URI address;

  @Parameters(index = "1", paramLabel = "OUT", description = "The file to write (- for standard output, with --to); "
      + "OUT ending with / or naming a directory gets the file NAME plus --to's extension, NAME the dataset's last.")
  String out;

  @Option(names = "--to", paramLabel = "FORMAT", description = "Output format, when OUT's extension does not say.")
  String to;

  @Option(names = "--overwrite", description = "Replace OUT if it exists (atomically).")
  boolean overwrite;

  @Option(names = "--parallel", defaultValue = "4", description = "Endpoints read at once (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing on success.")
  boolean quiet;

  @CommandLine.Mixin NumpyOutputOptions numpy;

  @CommandLine.Mixin FlightAccess access;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path output = Path.of(out);
    if (Outputs.intoDirectory(spec, address.toString(), out, to)) {
      // As cp puts a file into a directory: the dataset's last name, with the extension of the format asked.
      FileFormat format = Outputs.directoryFormat(spec, to, output);
      Path dataset = Path.of(address.getPath()).getFileName();
      if (dataset == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "the address names no dataset to name the "
            + "file in '" + output + "' after; name the output file");
      }
      Files.createDirectories(output);
      output = output.resolve(Converter.stem(dataset) + DirectoryConverter.extension(format));
    }
    // "-" is standard output, streamed to as convert does; the summary then goes to standard error.
    Path target = StandardStreams.output(spec, output, to);
    FileFormat format = Formats.format(spec, to, target, "OUT");
    Outputs.check(List.of(target), overwrite);
    try (BufferAllocator allocator = new RootAllocator()) {
      ConvertOptions writing = numpy.applyTo(ConvertOptions.DEFAULTS);
      FlightFiles.Transfer t = FlightFiles.get(address, target, format, access.client(parallel), writing, allocator);
      if (!quiet) {
        Outputs.summary(spec, target).println("got " + t.rows() + " rows from " + t.endpoints()
            + " endpoint(s) into " + output);
      }
    }
    return 0;
  }
}
