package io.arrownpz.cli;

import io.arrownpz.flight.FlightService;
import io.arrownpz.flightsql.SqlOptions;
import io.arrownpz.flightsql.SqlService;
import io.arrownpz.flight.ServeOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Serves a directory over Arrow Flight until stopped (SIGTERM or Ctrl-C finish the calls in flight). */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Serve every file under DIR (NPY, NPZ, NPY directories, Feather, .arrows, Parquet; folders of "
        + "files with one schema as partitioned datasets) over Arrow Flight. Loopback only unless a token file is "
        + "given (or --insecure).",
    footer = {"", "Examples:", "  arrow-npz serve data/",
        "  arrow-npz serve data/ --host 0.0.0.0 --token-file token.txt --tls-cert cert.pem --tls-key key.pem",
        "  arrow-npz serve empty/ --node grpc://10.0.0.2:8815 --node grpc://10.0.0.3:8815 --token-file token.txt"})
final class ServeCommand implements Callable<Integer> {
  /**
   * gRPC's and Netty's loggers, held here because java.util.logging keeps loggers only weakly (a level
   * set on one that is collected is lost). They log every client that goes away mid-stream as a warning
   * with a stack trace: routine for a server, and enough output to fill a pipe no one reads.
   */
  private static final List<Logger> NETWORK_LOGGERS = List.of(Logger.getLogger("io.grpc"), Logger.getLogger("io.netty"));

  @Parameters(paramLabel = "DIR", description = "The directory to serve.")
  Path directory;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8815", description = "Port (default: ${DEFAULT-VALUE}; 0 picks one).")
  int port;

  @CommandLine.Mixin FlightAccess access;

  @Option(names = "--tls-key", paramLabel = "K", description = "PEM private key of --tls-cert.")
  Path tlsKey;

  @Option(names = "--read-only", description = "Refuse uploads and the pack action.")
  boolean readOnly;

  @Option(names = "--max-streams", defaultValue = "8", description = "Data streams at once; more are refused with "
      + "RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  int maxStreams;

  @Option(names = "--batch-rows", defaultValue = "65536", description = "Rows per record batch sent (default: "
      + "${DEFAULT-VALUE}).")
  int batchRows;

  @Option(names = "--max-call-mib", defaultValue = "1024", paramLabel = "MIB", description = "Memory one call may "
      + "allocate beyond views of the files it reads, in MiB (default: ${DEFAULT-VALUE}).")
  long callMib;

  @Option(names = "--insecure", description = "Allow binding beyond loopback without a token.")
  boolean insecure;

  @Option(names = "--node", paramLabel = "grpc://HOST:PORT", description = "Be a coordinator over this data node "
      + "(repeatable): datasets are the files the nodes hold, each endpoint located at the nodes holding it.")
  List<URI> nodes = new ArrayList<>();

  @Option(names = "--node-cert", paramLabel = "C", description = "PEM certificate a coordinator trusts for "
      + "grpc+tls:// nodes (a self-signed node's, or the authority that signed the nodes'); default: the system's.")
  Path nodeCertificate;

  @Option(names = "--node-timeout", defaultValue = "5", paramLabel = "SECONDS", description = "How long a coordinator "
      + "waits for a node to say what it holds before reporting it down (default: ${DEFAULT-VALUE}); a node whose "
      + "first answer reads many files' footers may need longer.")
  double nodeTimeoutSeconds;

  @Option(names = "--sql", description = "Also answer SQL over Arrow Flight SQL on the same port (JDBC, ADBC, "
      + "pyarrow): every dataset is a table named by its path, queried by DuckDB in process; only queries, nothing "
      + "read but the served datasets.")
  boolean sql;

  @Option(names = "--sql-memory", defaultValue = "1024", paramLabel = "MIB", description = "Memory DuckDB may hold "
      + "for the queries running at once (default: ${DEFAULT-VALUE} MiB); a query past it fails, the service goes on.")
  long sqlMib;

  @Option(names = "--sql-timeout", defaultValue = "300", paramLabel = "SECONDS", description = "Time a query may run "
      + "and its result wait to be fetched (default: ${DEFAULT-VALUE} s); then it is cancelled and its memory freed.")
  double sqlTimeoutSeconds;

  @Option(names = "--sql-spill", defaultValue = "4096", paramLabel = "MIB", description = "What DuckDB may write "
      + "to its temporary files when a query does not fit in --sql-memory (default: ${DEFAULT-VALUE} MiB; 0: nothing). "
      + "They go to a directory of the server's own, removed when it stops.")
  long sqlSpillMib;

  @Option(names = {"-q", "--quiet"}, description = "Print only the address line (scripts read it): no "
      + "warnings of files left out of a listing.")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private java.time.Duration nodeTimeout() {
    if (!(nodeTimeoutSeconds > 0 && nodeTimeoutSeconds <= 86_400)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--node-timeout must be between 0 and 86400 s");
    }
    return java.time.Duration.ofMillis(Math.max(1, Math.round(nodeTimeoutSeconds * 1000)));
  }

  private SqlOptions sqlOptions() {
    if (!nodes.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--sql answers over this server's own files: a "
          + "coordinator (--node) has none");
    }
    if (!(sqlTimeoutSeconds > 0 && sqlTimeoutSeconds <= 86_400)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--sql-timeout must be between 0 and 86400 s");
    }
    if (sqlMib < 16 || sqlMib > (1L << 40)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--sql-memory must be at least 16 MiB");
    }
    if (sqlSpillMib < 0 || sqlSpillMib > (1L << 40)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--sql-spill must be 0 MiB or more");
    }
    return SqlOptions.DEFAULTS.withMemoryLimit(sqlMib << 20).withSpillLimit(sqlSpillMib << 20)
        .withTimeout(java.time.Duration.ofMillis(Math.max(1, Math.round(sqlTimeoutSeconds * 1000))));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServeOptions options = new ServeOptions(host, port, access.token(), access.tlsCertificate, tlsKey, readOnly,
        maxStreams, batchRows, callMib << 20, insecure, nodes, nodeCertificate, nodeTimeout());
    PrintWriter out = spec.commandLine().getOut();
    if (!spec.commandLine().getParseResult().hasMatchedOption("--debug")) {
      NETWORK_LOGGERS.forEach(logger -> logger.setLevel(Level.SEVERE));
    }
    SqlOptions sqlOptions = sql ? sqlOptions() : null;
    BufferAllocator allocator = new RootAllocator();
    // Warnings go to standard error: standard output's first line is the address scripts read.
    java.util.function.Consumer<String> warnings = warning -> {
      if (!quiet) {
        System.err.println("arrow-npz: serve: " + warning);
      }
    };
    FlightService service = sql ? SqlService.start(directory, options, sqlOptions, allocator, warnings)
        : FlightService.start(directory, options, allocator, warnings);
    Thread stopper = new Thread(() -> {
      try {
        service.close(); // finishes the calls in flight; uploads are renamed into place only when complete
        allocator.close();
      } catch (IllegalStateException leaked) {
        // Arrow's accounting found buffers never given back: say so, an operator (and our load test) looks.
        System.err.println("arrow-npz: serve: at exit, " + leaked.getMessage().lines().findFirst().orElse("memory "
            + "still held"));
      } catch (InterruptedException | RuntimeException e) {
        // exiting anyway
      }
    }, "arrow-npz serve shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    out.println("serving " + directory + " at " + service.location()
        + (nodes.isEmpty() ? "" : " as coordinator of " + nodes.size() + " node(s)")
        + (options.token() == null ? "" : " (token required)")
        + (sql ? "; SQL at jdbc:arrow-flight-sql://" + service.location().getAuthority() + "/?useEncryption="
            + service.location().getScheme().endsWith("tls") : ""));
    out.flush();
    service.awaitTermination();
    return 0;
  }
}
