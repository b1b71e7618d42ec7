package io.arrownpz.bridge.dataset;

import io.arrownpz.BadFileException;
import io.arrownpz.bridge.ArrowFileInfo;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * A folder read as one table, as pyarrow's datasets read one: the data files directly in it, or, where it
 * holds only folders named {@code key=value} (Hive partitioning, as pandas, polars, DuckDB and Spark write
 * it), the files at their bottom, each key a column after the file's own ({@link HivePartitions}). The
 * files' rows follow one another in name order; their columns must agree.
 */
public final class FolderDataset {
  /**
   * One file of the dataset.
   *
   * @param columns what its folders' names add to its rows (Hive partitioning), else none
   */
  public record File(Path path, FileFormat format, PartitionColumns columns) {}

  /** Rows per batch read from a NumPy file: its whole table is never held at once. */
  private static final int NUMPY_BATCH_ROWS = 1 << 16;

  private final Path dir;
  private final List<File> files;

  private FolderDataset(Path dir, List<File> files) {
    this.dir = dir;
    this.files = List.copyOf(files);
  }

  /** The dataset of the folder {@code dir}, or null where it has neither data files nor Hive key folders. */
  public static FolderDataset find(Path dir) throws IOException {
    try {
      return find(dir, FolderDataset::entries, FolderDataset::formatOf);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * The dataset of the folder {@code dir}.
   *
   * @throws BadFileException where it has neither data files nor Hive key folders with data files at their
   *     bottom
   */
  public static FolderDataset of(Path dir) throws IOException {
    FolderDataset dataset = find(dir);
    if (dataset == null) {
      throw new BadFileException(dir, null, "no data files in it, nor key=value folders (Hive partitions) with "
          + "data files at their bottom");
    }
    return dataset;
  }

  /**
   * The files given, in that order, read as one table (as {@code cat} puts files together): no keys, and they
   * need not share a folder.
   *
   * @throws BadFileException naming one that is missing or not a file arrow-npz reads
   */
  public static FolderDataset ofFiles(List<Path> paths) throws IOException {
    List<File> files = new ArrayList<>();
    for (Path path : paths) {
      FileFormat format = !Files.exists(path) || isFolder(path) ? null : FileFormat.ofInput(path);
      if (format == null) {
        throw new BadFileException(path, null, Files.exists(path) ? FileFormat.UNKNOWN_INPUT : "no such file");
      }
      files.add(new File(path, format, PartitionColumns.NONE));
    }
    return new FolderDataset(null, files);
  }

  /** Whether {@code path} is a folder that may be a dataset: a directory that is not an NPY-directory frame. */
  public static boolean isFolder(Path path) {
    return Files.isDirectory(path) && !Files.isRegularFile(path.resolve("__meta__.json"));
  }

  /**
   * As {@link #find(Path)}, with the caller's view of a folder (a server leaves out links leading outside
   * what it serves).
   *
   * @param children the entries of a folder that may be parts of a dataset
   * @param formatOf the format of a data file, null for anything else
   */
  public static FolderDataset find(Path dir, Function<Path, List<Path>> children, Function<Path, FileFormat> formatOf) {
    List<File> plain = new ArrayList<>();
    for (Path entry : children.apply(dir)) {
      FileFormat format = formatOf.apply(entry);
      if (format != null) {
        plain.add(new File(entry, format, PartitionColumns.NONE));
      }
    }
    if (!plain.isEmpty()) {
      return new FolderDataset(dir, plain);
    }
    List<File> partitioned = HivePartitions.files(dir, children, formatOf);
    return partitioned.isEmpty() ? null : new FolderDataset(dir, partitioned);
  }

  /** The folder; null for files given one by one ({@link #ofFiles}). */
  public Path dir() {
    return dir;
  }

  /** The files, in the order their rows are read. */
  public List<File> files() {
    return files;
  }

  /** Whether the files get columns from their folders' names. */
  public boolean isPartitioned() {
    return files.stream().anyMatch(f -> !f.columns().isEmpty());
  }

  /**
   * Every file's batches in turn as one reader, with the columns their folders give them; one file open at
   * a time. The caller closes it. Files whose columns differ are refused ({@link ChainedReader.PartsDiffer},
   * naming two of them), before the first batch or when the file's turn comes.
   */
  public ArrowReader openReader(BufferAllocator allocator) throws IOException {
    Converter converter = new Converter(allocator);
    List<ChainedReader.Part> parts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (File file : files) {
      parts.add(() -> file.columns().appendedTo(
          converter.openReader(file.path(), file.format(), ConvertOptions.DEFAULTS, NUMPY_BATCH_ROWS), allocator));
      names.add(dir != null ? dir.relativize(file.path()).toString() : file.path().toString());
    }
    try {
      return new ChainedReader(dir != null ? dir.toString() : "inputs", names, parts, null, allocator);
    } catch (ChainedReader.PartsDiffer e) {
      if (files.stream().allMatch(f -> f.format() == FileFormat.NPY)) {
        // NumPy's arrays are columns named after their files: said where a user may have meant a table of them.
        throw new BadFileException(e.file(), null, e.problem() + " (files are read as rows one after another; "
            + "arrays side by side, as columns, are what an .npz holds)", e);
      }
      throw e;
    }
  }

  /**
   * What the folder holds as one table: its columns (the keys of Hive partitions among them), rows and
   * batches, read through every file; its bytes those of its files.
   */
  public ArrowFileInfo describe(BufferAllocator allocator) throws IOException {
    long bytes = 0;
    for (File file : files) {
      bytes += Trees.size(file.path());
    }
    String formats = String.join(" and ", files.stream().map(f -> f.format().formatName()).distinct().toList());
    String format = "folder of " + files.size() + " " + formats + " file" + (files.size() == 1 ? "" : "s");
    if (isPartitioned()) {
      format += ", Hive-partitioned by " + String.join(", ",
          files.get(0).columns().fields().stream().map(org.apache.arrow.vector.types.pojo.Field::getName).toList());
    }
    try (ArrowReader reader = openReader(allocator)) {
      return ArrowFileInfo.read(reader, String.valueOf(dir), format, bytes, null);
    }
  }

  /**
   * The entries of a folder that may be parts of a dataset: not hidden, and not named with a leading
   * underscore (what writers put beside the data: Spark's {@code _SUCCESS}, the {@code _metadata} summaries
   * of Dask and pyarrow, which pyarrow's datasets leave out too); in name order.
   */
  public static List<Path> entries(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> !isHidden(p) && !p.getFileName().toString().startsWith("_")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The format of a data file or an NPY-directory frame; null for anything else (pipes and devices too). */
  public static FileFormat formatOf(Path path) {
    if (Files.isDirectory(path)) {
      return Files.isRegularFile(path.resolve("__meta__.json")) ? FileFormat.NPY_DIR : null;
    }
    if (!Files.isRegularFile(path) || isHidden(path)) {
      return null;
    }
    FileFormat format = FileFormat.ofInput(path);
    return format == FileFormat.NPY_DIR ? null : format;
  }

  /** Hidden entries are no data: among them, the partial files of writes in progress. */
  private static boolean isHidden(Path path) {
    return path.getFileName().toString().startsWith(".");
  }
}
