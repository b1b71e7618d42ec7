package io.arrownpz.bridge;

import java.nio.file.Path;
import java.util.Locale;

/** The file formats the bridge converts between, recognised by extension or named with --to. */
public enum FileFormat {
  NPY("npy", ".npy"),
  NPZ("npz", ".npz"),
  /** A frame as a directory of NPY files ({@code Frame.to_npy}). */
  NPY_DIR("npy-dir"),
  FEATHER("feather", ".feather", ".arrow", ".ipc"),
  /** Arrow IPC stream format. */
  IPC_STREAM("arrows", ".arrows"),
  PARQUET("parquet", ".parquet", ".pq");

  private final String name;
  private final String[] extensions;

  FileFormat(String name, String... extensions) {
    this.name = name;
    this.extensions = extensions;
  }

  public String formatName() {
    return name;
  }

  /** The format a path's extension names (an existing directory, or a path ending in /, is npy-dir), or null. */
  public static FileFormat ofPath(Path path) {
    if (java.nio.file.Files.isDirectory(path) || path.toString().endsWith("/")) {
      return NPY_DIR;
    }
    String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
    for (FileFormat f : values()) {
      for (String ext : f.extensions) {
        if (file.endsWith(ext)) {
          return f;
        }
      }
    }
    return null;
  }

  /** What an input no signature or extension places is told, in one line after its name. */
  public static final String UNKNOWN_INPUT =
      "not a file arrow-npz reads (no NPY, ZIP, Arrow or Parquet signature, no known extension)";

  /**
   * The format of an existing input: a directory is an NPY-directory frame; a file is known by its
   * first bytes (the NPY magic, a ZIP local header or empty archive, ARROW1 or Feather V1's FEA1, PAR1,
   * an IPC stream's continuation marker), whatever its name; else by its extension; null when neither
   * tells.
   */
  public static FileFormat ofInput(Path path) {
    if (java.nio.file.Files.isDirectory(path)) {
      return NPY_DIR;
    }
    FileFormat sniffed = sniff(path);
    return sniffed != null ? sniffed : ofPath(path);
  }

  /** The format a file's first bytes show, or null (unreadable, too short, or no known magic). */
  public static FileFormat sniff(Path path) {
    byte[] head = new byte[8];
    int n;
    try (var in = java.nio.file.Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (java.io.IOException e) {
      return null;
    }
    if (startsWith(head, n, 0x93, 'N', 'U', 'M', 'P', 'Y')) {
      return NPY;
    }
    if (startsWith(head, n, 'P', 'K', 3, 4) || startsWith(head, n, 'P', 'K', 5, 6)) {
      return NPZ;
    }
    if (startsWith(head, n, 'A', 'R', 'R', 'O', 'W', '1') || startsWith(head, n, 'F', 'E', 'A', '1')) {
      return FEATHER; // FEA1: Feather V1, which the Feather reader names and refuses
    }
    if (startsWith(head, n, 'P', 'A', 'R', '1')) {
      return PARQUET;
    }
    if (startsWith(head, n, 0xFF, 0xFF, 0xFF, 0xFF)) {
      return IPC_STREAM;
    }
    return null;
  }

  private static boolean startsWith(byte[] head, int n, int... magic) {
    if (n < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** The format with this name (as given to --to), or null. */
  public static FileFormat named(String name) {
    for (FileFormat f : values()) {
      if (f.name.equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }

  /** Whether the format is a sequence of record batches, convertible batch by batch. */
  public boolean isBatched() {
    return this == FEATHER || this == IPC_STREAM || this == PARQUET;
  }

  /** The names --from and --to accept. */
  public static String names() {
    StringBuilder b = new StringBuilder();
    for (FileFormat f : values()) {
      b.append(b.length() == 0 ? "" : ", ").append(f.name);
    }
    return b.toString();
  }
}
