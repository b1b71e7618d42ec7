package io.arrownpz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** The NumPy-side file kinds {@link NumpyTables} reads and writes. */
public enum NumpyFormat {
  /** One array, {@code .npy}. */
  NPY("npy"),
  /** A ZIP of arrays, {@code .npz}: plain columns, packed events or a StaticFrame frame. */
  NPZ("npz"),
  /** A StaticFrame frame as a directory of {@code .npy} files ({@code Frame.to_npy}). */
  NPY_DIR("npy-dir");

  private final String formatName;

  NumpyFormat(String formatName) {
    this.formatName = formatName;
  }

  public String formatName() {
    return formatName;
  }

  /**
   * The format of an existing path by what it is (a directory) or its first bytes (the NPY magic, a ZIP
   * signature), else by its name ({@code .npy}, {@code .npz}); null when none fits.
   */
  public static NumpyFormat of(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return NPY_DIR;
    }
    if (Files.isRegularFile(path)) {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        ByteBuffer head = ByteBuffer.allocate(6);
        while (head.hasRemaining() && channel.read(head) >= 0) {
          // fill
        }
        NumpyFormat format = ofFirstBytes(head.flip());
        if (format != null) {
          return format;
        }
      }
    }
    return byName(path);
  }

  /** The format that a file's first bytes (up to six) show: the NPY magic or a ZIP signature; else null. */
  static NumpyFormat ofFirstBytes(ByteBuffer head) {
    if (head.remaining() == 6 && (head.get(0) & 0xff) == 0x93 && head.get(1) == 'N' && head.get(2) == 'U') {
      return NPY;
    }
    if (head.remaining() >= 4 && head.get(0) == 'P' && head.get(1) == 'K') {
      return NPZ;
    }
    return null;
  }

  /** The format a path's name asks for ({@code .npy}, {@code .npz}; an existing directory is NPY_DIR), or null. */
  public static NumpyFormat byName(Path path) {
    if (Files.isDirectory(path)) {
      return NPY_DIR;
    }
    String lower = path.toString().toLowerCase(Locale.ROOT);
    return lower.endsWith(".npy") ? NPY : lower.endsWith(".npz") ? NPZ : null;
  }
}
