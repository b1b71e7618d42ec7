package io.arrownpz.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code -} as an input or output, as Unix tools take it. The input is spooled to a temporary file
 * first (NPZ, Feather and Parquet readers need to seek, and the format is known only once bytes are
 * read); the output is {@code /dev/stdout}, which our writers stream to. {@code --from}/{@code --to}
 * must name the format, since there is no file name to tell it.
 */
final class StandardStreams implements AutoCloseable {
  /** What messages call standard input, in place of the file it was spooled to. */
  static final String STDIN = "<stdin>";
  /** The spool files of this process, for {@link #named}; a command reads one at a time. */
  private static final Set<String> SPOOLS = ConcurrentHashMap.newKeySet();

  private final Path path;
  private final boolean spooled;

  private StandardStreams(Path path, boolean spooled) {
    this.path = path;
    this.spooled = spooled;
  }

  static boolean isDash(Path path) {
    return path.toString().equals("-");
  }

  /** The file to read for {@code input}: itself, or standard input spooled to a temporary file. */
  static StandardStreams input(CommandSpec spec, Path input, String from, InputStream stdin) throws IOException {
    if (!isDash(input)) {
      return new StandardStreams(input, false);
    }
    if (from == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "reading standard input (-) needs --from FORMAT");
    }
    // Named <stdin> inside a directory of its own; messages say <stdin> alone (see named).
    Path spool = Files.createTempDirectory("arrow-npz-").resolve(STDIN);
    SPOOLS.add(spool.toString());
    try {
      Files.copy(stdin, spool, StandardCopyOption.REPLACE_EXISTING);
      return new StandardStreams(spool, true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(spool);
      Files.deleteIfExists(spool.getParent());
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
   * {@code message} with standard input called {@code <stdin>} rather than by the temporary file it was
   * spooled to, which the readers name and the user never saw.
   */
  static String named(String message) {
    if (message == null) {
      return null;
    }
    for (String spool : SPOOLS) {
      message = message.replace(spool, STDIN);
    }
    return message;
  }

  @Override
  public void close() throws IOException {
    if (spooled) {
      Files.deleteIfExists(path);
      Files.deleteIfExists(path.getParent());
    }
  }
}
