package io.arrownpz.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code -} as an input or output, as Unix tools take it, and inputs that can be read only once: a named
 * pipe, a device, or a shell's process substitution ({@code <(curl ...)}, a pipe at {@code /dev/fd/63}).
 * Such an input is spooled to a temporary file first (NPZ, Feather and Parquet readers need to seek,
 * and sniffing the format reads the first bytes); the output {@code -} is {@code /dev/stdout}, which our
 * writers stream to. An input's format is sniffed from the bytes spooled (else, for a pipe, its name's
 * extension); {@code --from} overrules. The output {@code -} needs {@code --to}, having no name to tell it.
 */
final class StandardStreams implements AutoCloseable {
  /** What messages call standard input, in place of the file it was spooled to. */
  static final String STDIN = "<stdin>";
  /** The spool files of this process and what messages call them, for {@link #named}. */
  private static final Map<String, String> SPOOLS = new ConcurrentHashMap<>();

  private final Path path;
  private final boolean spooled;

  private StandardStreams(Path path, boolean spooled) {
    this.path = path;
    this.spooled = spooled;
  }

  static boolean isDash(Path path) {
    return path.toString().equals("-");
  }

  /**
   * The file to read for {@code input}: itself, or what standard input ({@code -}) or a pipe or device
   * gives, spooled to a temporary file.
   */
  static StandardStreams input(CommandSpec spec, Path input, String from, InputStream stdin) throws IOException {
    if (isDash(input)) {
      // Its format is told by its first bytes once spooled, as a named pipe's is; --from overrules.
      return spool(stdin, STDIN, STDIN);
    }
    if (readOnce(input)) {
      try (InputStream in = Files.newInputStream(input)) {
        // Spooled under its own name, whose extension may tell its format.
        return spool(in, input.getFileName() == null ? "input" : input.getFileName().toString(), input.toString());
      }
    }
    return new StandardStreams(input, false);
  }

  /** Whether a path names something that exists and is neither a regular file nor a directory. */
  static boolean readOnce(Path path) {
    return Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path);
  }

  /** Copies {@code in} to a file named {@code name} in a directory of its own; messages call it {@code shown}. */
  private static StandardStreams spool(InputStream in, String name, String shown) throws IOException {
    Path spool = StopOnSignal.scratch(Files.createTempDirectory("arrow-npz-")).resolve(name);
    SPOOLS.put(spool.toString(), shown);
    try {
      Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
      return new StandardStreams(spool, true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(spool);
      Files.deleteIfExists(spool.getParent());
      StopOnSignal.done(spool.getParent());
      throw e;
    }
  }

  /** The path to write for {@code output}: itself, or {@code /dev/stdout} for {@code -}. */
  static Path output(CommandSpec spec, Path output, String to) {
    if (!isDash(output)) {
      return output;
    }
    if (to == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "writing standard output (-) needs --to FORMAT");
    }
    return Path.of("/dev/stdout");
  }

  Path path() {
    return path;
  }

  /**
   * {@code message} with a spooled input called as the user named it ({@code <stdin>} for {@code -})
   * rather than by the temporary file the readers name, which the user never saw.
   */
  static String named(String message) {
    if (message == null) {
      return null;
    }
    for (Map.Entry<String, String> spool : SPOOLS.entrySet()) {
      message = message.replace(spool.getKey(), spool.getValue());
    }
    return message;
  }

  @Override
  public void close() throws IOException {
    if (spooled) {
      Files.deleteIfExists(path);
      Files.deleteIfExists(path.getParent());
      StopOnSignal.done(path.getParent());
    }
  }
}
