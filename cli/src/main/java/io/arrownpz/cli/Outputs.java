package io.arrownpz.cli;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.DirectoryConverter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.dataset.FolderDataset;
import io.arrownpz.internal.io.AtomicFile;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one rule for what a command writes: an existing output is refused unless {@code --overwrite} is
 * given (then it is replaced atomically), whatever the command and format; every output of a run is
 * checked before any work starts. Pipes and devices are not "existing outputs": they are streamed to.
 */
final class Outputs {
  static final String OVERWRITE_HELP = "Replace outputs that exist (atomically: a failed run leaves them as "
      + "they were). Without it, an existing output is refused before any work starts.";

  private Outputs() {}

  /** @throws FileAlreadyExistsException for the first output that exists, unless {@code overwrite} */
  static void check(Collection<Path> outputs, boolean overwrite) throws FileAlreadyExistsException {
    if (overwrite) {
      return;
    }
    for (Path output : outputs) {
      Path absolute = output.toAbsolutePath();
      if (Files.exists(absolute) && !AtomicFile.isStream(absolute)) {
        throw new FileAlreadyExistsException(output.toString(), null, "exists; pass --overwrite to replace it");
      }
    }
  }

  /** Where a run's summary line goes: stdout, or stderr when the output itself is streamed to stdout. */
  static PrintWriter summary(CommandSpec spec, Path output) {
    return AtomicFile.isStream(output.toAbsolutePath()) ? spec.commandLine().getErr() : spec.commandLine().getOut();
  }

  /** The output's size for the summary ("streamed" for a pipe or device). */
  static String size(Path output) throws IOException {
    return AtomicFile.isStream(output.toAbsolutePath()) ? "streamed" : Units.bytes(Trees.size(output));
  }

  /**
   * Whether one input's output goes into the directory OUT, as {@code cp FILE DIR/} puts it there: OUT ends
   * with a slash, or is a directory that is not an NPY-directory frame. Not with --to npy-dir, whose output
   * is the directory OUT itself (as a put's descriptor ending with a slash is). Standard input, which has
   * no name to give its output there, is refused.
   */
  static boolean intoDirectory(CommandSpec spec, String in, String out, String to) {
    if (to != null && FileFormat.named(to) == FileFormat.NPY_DIR) {
      return false;
    }
    Path path = Path.of(out);
    if (!endsWithSlash(out) && !FolderDataset.isFolder(path)) {
      return false;
    }
    if (in.equals("-")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "standard input has no name to give "
          + "its output in the directory '" + path + "'; name the output file");
    }
    return true;
  }

  /**
   * Whether a folder given as the one input goes whole into one file: OUT is {@code -}, or names a file
   * format by its extension (and neither ends with a slash nor is a directory). Otherwise each of its files
   * is converted into the directory OUT.
   */
  static boolean isOneFile(String out) {
    if (out.equals("-")) {
      return true;
    }
    Path path = Path.of(out);
    FileFormat format = FileFormat.ofPath(path);
    return !endsWithSlash(out) && !Files.isDirectory(path) && format != null && format != FileFormat.NPY_DIR;
  }

  /** Whether OUT as typed names a directory by its last character (not the root alone). */
  private static boolean endsWithSlash(String out) {
    return out.length() > 1 && (out.endsWith("/") || out.endsWith(java.io.File.separator));
  }

  /**
   * The files of the folder {@code dir} to convert one by one; refused where there are none (its subfolders
   * are not searched), saying what else would read it.
   */
  static List<Path> filesIn(Path dir) throws IOException {
    List<Path> files = DirectoryConverter.inputs(dir);
    if (!files.isEmpty()) {
      return files;
    }
    FolderDataset dataset = FolderDataset.find(dir);
    throw new BadFileException(dir, null, dataset != null
        ? "no data files directly in it, but key=value folders (Hive partitions): name one output file (such as "
            + dir.getFileName() + ".parquet) to convert them whole, with their keys as columns"
        : "no data files directly in it (its subfolders are not searched: a quoted pattern such as '" + dir
            + "/**/*.parquet' finds files at every depth)");
  }

  /**
   * The format of a run into the directory OUT (several inputs, or one and OUT ending with a slash): --to
   * must name it, and OUT must not be a file.
   */
  static FileFormat directoryFormat(CommandSpec spec, String to, Path output)
      throws BadFileException {
    if (to == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "writing into the directory '" + output
          + "' needs --to FORMAT, the format of the files made there");
    }
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "'" + output + "' is a file, not a "
          + "directory to write into");
    }
    return Formats.format(spec, to, output, "OUT");
  }
}
