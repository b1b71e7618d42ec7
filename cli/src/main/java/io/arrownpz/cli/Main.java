package io.arrownpz.cli;

import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedDataException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code arrow-npz} command. Exit codes: 0 success, 1 bad input (one line on stderr), 2 usage.
 */
@Command(
    name = "arrow-npz",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "NumPy NPY files as Apache Arrow tables, and back.",
    subcommands = {InspectCommand.class, ConvertCommand.class, PackCommand.class, UnpackCommand.class,
        DemoCommand.class, CompareCommand.class, ServeCommand.class, GetCommand.class, PutCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Examples:",
        "  arrow-npz inspect data.npy",
        "  arrow-npz convert data.npy data.feather",
        "  arrow-npz convert table.feather prices.npy --column price",
        "  arrow-npz serve data/",
        "  arrow-npz demo"})
public final class Main implements Runnable {
  @Option(names = "--debug", description = "Print stack traces for errors.", scope = CommandLine.ScopeType.INHERIT)
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
  }

  public static void main(String[] args) {
    if (!firstWord(args).equals("serve")) {
      StopOnSignal.install();
    }
    StopOnSignal.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** The first argument that is not an option: the command's name, or "" when there is none. */
  private static String firstWord(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return arg;
      }
    }
    return "";
  }

  /** Runs the command line; returns the exit code instead of exiting, for tests and embedding. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    Main main = new Main();
    CommandLine cli = new CommandLine(main);
    HelpText.wrapBetweenWords(cli);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(new UsageErrors(err));
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      boolean debug = parseResult.hasMatchedOption("--debug")
          || parseResult.subcommands().stream().anyMatch(s -> s.hasMatchedOption("--debug"));
      if (debug) {
        e.printStackTrace(err);
      }
      if (e instanceof BadFileException) {
        err.println("arrow-npz: " + StandardStreams.named(e.getMessage()) + hint(e, parseResult));
        return 1;
      }
      if (e instanceof UnsupportedDataException || e instanceof IllegalArgumentException
          || e instanceof java.io.IOException) {
        err.println("arrow-npz: " + StandardStreams.named(describe(e)) + hint(e, parseResult));
        return 1;
      }
      // Not a known kind of bad input, but still about this input: one line, the documented code.
      err.println("arrow-npz: internal error: " + StandardStreams.named(e.toString())
          + (debug ? "" : " (run with --debug for details)"));
      return 1;
    });
    return cli.execute(args);
  }

  /** The option that gets past a refusal, where the command has one: the library names the choice. */
  private static String hint(Exception e, CommandLine.ParseResult parseResult) {
    String said = String.valueOf(e.getMessage());
    if (said.matches("grpc(\\+tls|\\+tcp)?:/.*: no such file")) {
      // A Flight address given where a file goes (the path collapsed its "//"): say which command reads it.
      return " (an Arrow Flight address: read it with arrow-npz get ADDRESS OUT)";
    }
    for (CommandLine.ParseResult ran : parseResult.subcommands()) {
      String hint = Hints.of(e, ran.commandSpec());
      if (!hint.isEmpty()) {
        return hint;
      }
    }
    return "";
  }

  private static String describe(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException n) {
      return n.getFile() + ": " + (n.getReason() != null ? n.getReason() : "no such file");
    }
    if (e instanceof java.nio.file.FileAlreadyExistsException f) {
      return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "already exists");
    }
    if (e instanceof java.nio.file.AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    return e.getMessage();
  }

  /** arrow-npz's version, Arrow Java's it was built with, and the Java running it: one a line. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties versions = new java.util.Properties();
      try (java.io.InputStream in = Main.class.getResourceAsStream("versions.properties")) {
        versions.load(in);
      }
      return new String[] {"arrow-npz " + versions.getProperty("arrow-npz"),
          "Apache Arrow Java " + versions.getProperty("arrow"),
          "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
  }
}
