package io.arrownpz.flight.internal;

import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.dataset.PartitionColumns;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset the service offers: one file (or one NPY-directory frame), or a folder of files with one
 * schema whose files are its partitions (directly in it, or in Hive's {@code key=value} folders).
 *
 * @param name the path relative to the served directory
 * @param parts the files, each with its format: one for a file, one per partition for a folder
 */
public record Dataset(String name, List<Part> parts) {
  /**
   * One file of a dataset.
   *
   * @param columns what its folders' names add to its rows (Hive partitioning), else none
   */
  public record Part(String name, Path path, FileFormat format, PartitionColumns columns) {
    public Part(String name, Path path, FileFormat format) {
      this(name, path, format, PartitionColumns.NONE);
    }
  }

  public boolean isFolder() {
    return parts.size() != 1 || !parts.get(0).name().equals(name);
  }

  /** Whether its parts are read through tickets that name the dataset too (their columns depend on it). */
  public boolean isPartitioned() {
    return parts.stream().anyMatch(p -> !p.columns().isEmpty());
  }
}
