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
