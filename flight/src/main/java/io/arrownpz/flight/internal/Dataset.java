package io.arrownpz.flight.internal;

import io.arrownpz.bridge.FileFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset the service offers: one file (or one NPY-directory frame), or a folder of files with one
 * schema whose files are its partitions.
 *
 * @param name the path relative to the served directory
 * @param parts the files, each with its format: one for a file, one per partition for a folder
 */
public record Dataset(String name, List<Part> parts) {
  /** One file of a dataset. */
  public record Part(String name, Path path, FileFormat format) {}

  public boolean isFolder() {
    return parts.size() != 1 || !parts.get(0).name().equals(name);
  }
}
