package io.arrownpz.cli;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.parquet.ParquetCompression;
import io.arrownpz.npz.NpzWriteOptions;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The format and compression options that every command reading and writing files shares. */
final class Formats {
  private Formats() {}

  /**
   * The format named with --from/--to; or else, for an input (label IN), what its first bytes show,
   * then its extension; for an output, its extension.
   */
  static FileFormat format(CommandSpec spec, String named, Path path, String label) throws BadFileException {
    boolean input = "IN".equals(label);
    FileFormat f = named != null ? FileFormat.named(named) : input ? FileFormat.ofInput(path) : FileFormat.ofPath(path);
    if (f == null && input && named == null) {
      // An input we cannot place is bad input (exit 1), not a usage mistake.
      throw new BadFileException(path, null, java.nio.file.Files.exists(path)
          ? FileFormat.UNKNOWN_INPUT + "; name its format with --from"
          : "no such file");
    }
    if (f == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), named != null
          ? "unknown format '" + named + "' (known: " + FileFormat.names() + ")"
          : "cannot tell the format of " + label + " '" + path + "' from its " + (input ? "contents or " : "")
              + "extension; use --" + (input ? "from" : "to"));
    }
    return f;
  }

  /** Write options for {@code out}: --compression means what that format can do; --align is for NPZ. */
  static ConvertOptions writeOptions(CommandSpec spec, FileFormat out, String compression, int align) {
    boolean deflate = false;
    IpcCompression ipc = IpcCompression.NONE;
    ParquetCompression parquet = ParquetCompression.SNAPPY;
    if (compression != null) {
      String kind = compression.toLowerCase(Locale.ROOT);
      switch (out) {
        case NPZ -> deflate = switch (kind) {
          case "stored", "none" -> false;
          case "deflate", "deflated" -> true;
          default -> throw new CommandLine.ParameterException(spec.commandLine(),
              "--compression for .npz must be stored or deflate, not '" + compression + "'");
        };
        case FEATHER, IPC_STREAM -> {
          ipc = IpcCompression.named(kind);
          if (ipc == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--compression for Feather and .arrows must be none, lz4 or zstd, not '" + compression + "'");
          }
        }
        case PARQUET -> {
          parquet = ParquetCompression.named(kind);
          if (parquet == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--compression for Parquet must be snappy, zstd or none, not '" + compression + "'");
          }
        }
        default -> {
          if (!kind.equals("none")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--compression does not apply to "
                + out.formatName() + " output");
          }
        }
      }
    }
    if (align < 0 || align > 4096 || align != 0 && Integer.bitCount(align) != 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--align must be a power of two up to 4096");
    }
    return ConvertOptions.DEFAULTS.withNpz(new NpzWriteOptions(deflate, align)).withIpc(ipc).withParquet(parquet);
  }
}
