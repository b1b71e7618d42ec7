package io.arrownpz.flight.internal;

import io.arrownpz.ReadOptions;
import io.arrownpz.cache.ReadCache;
import io.arrownpz.bridge.ConvertOptions;
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
   * @param member for one table of an NPZ whose arrays differ in length ({@code m.npz/a}): its member;
   *     else null
   */
  public record Part(String name, Path path, FileFormat format, PartitionColumns columns, String member) {
    public Part(String name, Path path, FileFormat format) {
      this(name, path, format, PartitionColumns.NONE, null);
    }

    public Part(String name, Path path, FileFormat format, PartitionColumns columns) {
      this(name, path, format, columns, null);
    }

    /** How it is read: its member alone, where it is one, mapping through the server's {@code cache}. */
    public ConvertOptions readOptions(ReadCache cache) {
      ReadOptions read = ConvertOptions.DEFAULTS.read().withCache(cache);
      return ConvertOptions.DEFAULTS.withRead(member == null ? read : read.withMember(member));
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
