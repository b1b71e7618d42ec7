package io.arrownpz.spark;

import io.arrownpz.NumpyFormat;
import io.arrownpz.NumpyTables;
import io.arrownpz.WriteOptions;
import io.arrownpz.npz.NpzLayout;
import io.arrownpz.npz.NpzWriteOptions;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.arrow.ArrowWriter;
import org.apache.spark.sql.util.ArrowUtils;

/**
 * {@code df.write.format("npz").save(dir)}: an NPZ per task (per task and partition folder, with {@code
 * partitionBy}), committed as Spark's file sources commit.
 * Each task attempt writes its partition into {@code dir/_temporary/JOB/}; only after every task has
 * succeeded does the driver move the file of each partition's accepted attempt into {@code dir} (and, for
 * {@code overwrite}, remove the files that were there), then write {@code _SUCCESS}. A failed job, or a
 * failed or superseded attempt, leaves nothing in {@code dir} but the staging folder, which is removed.
 * The directory is on any Hadoop file system ({@link HadoopFiles}): HDFS, an object store, a local or a
 * shared, mounted folder.
 */
final class NpzWriteJob {
  private NpzWriteJob() {}

  /**
   * How the tasks write: frame or plain NPZ, deflated or stored, aligned, and the columns whose values
   * name folders ({@code partitionBy}, which Spark passes as {@code __partition_columns}).
   */
  record Settings(boolean frame, boolean deflate, int alignment, String timeZone, List<String> partitionBy)
      implements Serializable {
    static Settings of(Map<String, String> options, String timeZone) {
      String compression = options.getOrDefault("compression", "stored").toLowerCase(Locale.ROOT);
      if (!compression.equals("stored") && !compression.equals("deflate")) {
        throw new IllegalArgumentException("npz: compression is stored or deflate, not '" + compression + "'");
      }
      boolean frame = Boolean.parseBoolean(options.getOrDefault("frame", "false"));
      if (frame && compression.equals("deflate")) {
        throw new IllegalArgumentException("npz: frames are written stored, as StaticFrame writes them: "
            + "compression deflate is for plain NPZ");
      }
      List<String> partitionBy = SourceFiles.jsonStrings(options.get("__partition_columns"), "partitionBy");
      return new Settings(frame, compression.equals("deflate"), Integer.parseInt(options.getOrDefault("alignment", "0")),
          timeZone, List.copyOf(partitionBy));
    }

    WriteOptions writeOptions() {
      return WriteOptions.DEFAULTS.withFormat(NumpyFormat.NPZ).withLayout(frame ? NpzLayout.FRAME : NpzLayout.PLAIN)
          .withNpz(NpzWriteOptions.DEFAULTS.withDeflate(deflate).withAlignment(alignment));
    }
  }

  /** Writes {@code data} into {@code path} as {@code mode} says; false when {@code ignore} found data there. */
  static boolean run(Dataset<Row> data, String path, SaveMode mode, Settings settings, HadoopFiles fileSystems)
      throws IOException {
    Path given = new Path(path);
    FileSystem fs = fileSystems.fileSystem(given);
    Path dir = fs.makeQualified(given);
    FileStatus existing = status(fs, dir);
    if (existing != null && !existing.isDirectory()) {
      if (mode == SaveMode.Ignore) {
        return false;
      }
      throw new IllegalArgumentException("npz: " + path + " is a file, not a directory to write parts into");
    }
    PartitionFolders folders = PartitionFolders.of(data.schema(), settings.partitionBy());
    if (existing != null && !dataFiles(fs, dir).isEmpty()) {
      if (mode == SaveMode.ErrorIfExists) {
        throw new IllegalArgumentException("npz: " + path + " already holds data (write with mode \"overwrite\" "
            + "or \"append\")");
      }
      if (mode == SaveMode.Ignore) {
        return false;
      }
    }
    String job = UUID.randomUUID().toString();
    Path temporary = new Path(dir, "_temporary");
    Path staging = new Path(temporary, job);
    if (!fs.mkdirs(staging)) {
      throw new IOException("npz: " + staging + ": cannot make the staging folder");
    }
    try {
      List<String> written = data.queryExecution().toRdd().toJavaRDD()
          .mapPartitionsWithIndex(new WritePartition(staging.toString(), folders, settings, fileSystems), false)
          .collect();
      if (mode == SaveMode.Overwrite) {
        for (Path old : dataFiles(fs, dir)) {
          fs.delete(old, false);
        }
        removeEmptyFolders(fs, dir);
        fs.delete(new Path(dir, "_SUCCESS"), false);
      }
      for (String file : written) {
        Path from = new Path(staging, file);
        String name = from.getName();
        String part = name.substring(0, name.indexOf('.')).replaceFirst("-attempt-\\d+$", "");
        Path folder = new Path(dir, file).getParent();
        fs.mkdirs(folder);
        Path to = new Path(folder, part + "-" + job + ".npz");
        if (!fs.rename(from, to)) {
          throw new IOException("npz: could not move " + from + " to " + to);
        }
      }
      fs.create(new Path(dir, "_SUCCESS"), true).close();
      return true;
    } finally {
      fs.delete(staging, true);
      FileStatus[] left = fs.exists(temporary) ? fs.listStatus(temporary) : null;
      if (left != null && left.length == 0) {
        fs.delete(temporary, false);
      }
    }
  }

  private static FileStatus status(FileSystem fs, Path path) throws IOException {
    try {
      return fs.getFileStatus(path);
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /**
   * The data files of a directory written by this source (and any other NumPy files in it), with those in
   * its partition folders ({@code KEY=VALUE}, at any depth).
   */
  private static List<Path> dataFiles(FileSystem fs, Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    FileStatus[] entries = fs.listStatus(dir);
    java.util.Arrays.sort(entries, java.util.Comparator.comparing(e -> e.getPath().getName()));
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (entry.isFile() && (name.endsWith(".npz") || name.endsWith(".npy"))) {
        found.add(entry.getPath());
      } else if (isFolder(fs, entry) && name.indexOf('=') > 0) {
        found.addAll(dataFiles(fs, entry.getPath()));
      }
    }
    return found;
  }

  /**
   * Whether an entry is a folder of the output itself, not a link to one: an overwrite removes files below
   * the output's own folders only, never where a link inside it points.
   */
  private static boolean isFolder(FileSystem fs, FileStatus entry) {
    // Hadoop's local file system follows links when it lists (its own symlink support is off by default).
    return entry.isDirectory() && !(HadoopFiles.isLocal(fs)
        && Files.isSymbolicLink(java.nio.file.Path.of(entry.getPath().toUri())));
  }

  /** Removes the partition folders below {@code dir} that an overwrite left empty. */
  private static void removeEmptyFolders(FileSystem fs, Path dir) throws IOException {
    for (FileStatus entry : fs.listStatus(dir)) {
      if (isFolder(fs, entry) && entry.getPath().getName().indexOf('=') > 0) {
        removeEmptyFolders(fs, entry.getPath());
        if (fs.listStatus(entry.getPath()).length == 0) {
          fs.delete(entry.getPath(), false);
        }
      }
    }
  }

  /**
   * One task: its partition's rows into one NPZ in the staging folder (one per partition folder, with
   * {@code partitionBy}), named by partition and attempt; gives their paths relative to the staging folder.
   * On the local file system the file is written in place; on another, written to a local temporary file
   * first (an NPZ is written with positional writes) and copied up.
   */
  private record WritePartition(String staging, PartitionFolders folders, Settings settings, HadoopFiles fileSystems)
      implements Function2<Integer, Iterator<InternalRow>, Iterator<String>> {
    @Override
    public Iterator<String> call(Integer partition, Iterator<InternalRow> rows) throws IOException {
      if (!rows.hasNext()) {
        return List.<String>of().iterator();
      }
      int attempt = TaskContext.get() == null ? 0 : TaskContext.get().attemptNumber();
      String name = String.format("part-%05d-attempt-%d.npz", partition, attempt);
      Map<String, Tables.Table> byFolder = new java.util.LinkedHashMap<>();
      Path stagingPath = new Path(staging);
      FileSystem fs = fileSystems.fileSystem(stagingPath);
      try (BufferAllocator allocator = new RootAllocator(); Tables tables = new Tables()) {
        while (rows.hasNext()) {
          InternalRow row = rows.next();
          String folder = folders.folder(row);
          Tables.Table table = byFolder.get(folder);
          if (table == null) {
            table = tables.open(ArrowUtils.toArrowSchema(folders.dataSchema(), settings.timeZone(), true, false),
                allocator);
            byFolder.put(folder, table);
          }
          table.writer().write(folders.dataColumns(row));
        }
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, Tables.Table> entry : byFolder.entrySet()) {
          String relative = entry.getKey().isEmpty() ? name : entry.getKey() + "/" + name;
          entry.getValue().writer().finish();
          Path target = new Path(stagingPath, relative);
          if (HadoopFiles.isLocal(fs)) {
            java.nio.file.Path file = java.nio.file.Path.of(target.toUri().getPath());
            Files.createDirectories(file.getParent());
            NumpyTables.write(entry.getValue().root(), file, settings.writeOptions());
          } else {
            java.nio.file.Path local = Files.createTempDirectory("arrow-npz-write");
            try {
              java.nio.file.Path file = local.resolve("part.npz");
              NumpyTables.write(entry.getValue().root(), file, settings.writeOptions());
              fs.copyFromLocalFile(false, true, new Path(file.toUri()), target);
            } finally {
              io.arrownpz.internal.io.Trees.delete(local);
            }
          }
          written.add(relative);
        }
        return written.iterator();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /** The tables a task fills, one per partition folder, closed together. */
  private static final class Tables implements AutoCloseable {
    record Table(VectorSchemaRoot root, ArrowWriter writer) {}

    private final List<VectorSchemaRoot> roots = new ArrayList<>();

    Table open(org.apache.arrow.vector.types.pojo.Schema schema, BufferAllocator allocator) {
      VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
      roots.add(root);
      return new Table(root, ArrowWriter.create(root));
    }

    @Override
    public void close() {
      roots.forEach(VectorSchemaRoot::close);
    }
  }
}
