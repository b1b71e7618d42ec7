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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
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
 * The directory is a path of the local (or a shared, mounted) file system.
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

  /** Writes {@code data} into {@code dir} as {@code mode} says; false when {@code ignore} found data there. */
  static boolean run(Dataset<Row> data, Path dir, SaveMode mode, Settings settings) throws IOException {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      if (mode == SaveMode.Ignore) {
        return false;
      }
      throw new IllegalArgumentException("npz: " + dir + " is a file, not a directory to write parts into");
    }
    PartitionFolders folders = PartitionFolders.of(data.schema(), settings.partitionBy());
    if (Files.isDirectory(dir) && !dataFiles(dir).isEmpty()) {
      if (mode == SaveMode.ErrorIfExists) {
        throw new IllegalArgumentException("npz: " + dir + " already holds data (write with mode \"overwrite\" "
            + "or \"append\")");
      }
      if (mode == SaveMode.Ignore) {
        return false;
      }
    }
    String job = UUID.randomUUID().toString();
    Path temporary = dir.resolve("_temporary");
    Path staging = Files.createDirectories(temporary.resolve(job));
    try {
      List<String> written = data.queryExecution().toRdd().toJavaRDD()
          .mapPartitionsWithIndex(new WritePartition(staging.toString(), folders, settings), false)
          .collect();
      if (mode == SaveMode.Overwrite) {
        for (Path old : dataFiles(dir)) {
          Files.deleteIfExists(old);
        }
        removeEmptyFolders(dir);
        Files.deleteIfExists(dir.resolve("_SUCCESS"));
      }
      for (String file : written) {
        Path from = staging.resolve(file);
        String name = from.getFileName().toString();
        String part = name.substring(0, name.indexOf('.')).replaceFirst("-attempt-\\d+$", "");
        Path folder = Files.createDirectories(dir.resolve(file).getParent());
        Files.move(from, folder.resolve(part + "-" + job + ".npz"), StandardCopyOption.ATOMIC_MOVE);
      }
      Files.write(dir.resolve("_SUCCESS"), new byte[0]);
      return true;
    } finally {
      io.arrownpz.internal.io.Trees.delete(staging);
      try (Stream<Path> left = Files.list(temporary)) {
        if (left.findAny().isEmpty()) {
          Files.deleteIfExists(temporary);
        }
      }
    }
  }

  /**
   * The data files of a directory written by this source (and any other NumPy files in it), with those in
   * its partition folders ({@code KEY=VALUE}, at any depth).
   */
  private static List<Path> dataFiles(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
        String name = p.getFileName().toString();
        if (name.startsWith("_") || name.startsWith(".")) {
          continue;
        }
        if (Files.isRegularFile(p) && (name.endsWith(".npz") || name.endsWith(".npy"))) {
          found.add(p);
        } else if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && name.indexOf('=') > 0) {
          found.addAll(dataFiles(p));
        }
      }
    }
    return found;
  }

  /** Removes the partition folders below {@code dir} that an overwrite left empty. */
  private static void removeEmptyFolders(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && p.getFileName().toString().indexOf('=') > 0) {
          removeEmptyFolders(p);
          try (Stream<Path> left = Files.list(p)) {
            if (left.findAny().isEmpty()) {
              Files.delete(p);
            }
          }
        }
      }
    }
  }

  /**
   * One task: its partition's rows into one NPZ in the staging folder (one per partition folder, with
   * {@code partitionBy}), named by partition and attempt; gives their paths relative to the staging folder.
   */
  private record WritePartition(String staging, PartitionFolders folders, Settings settings)
      implements Function2<Integer, Iterator<InternalRow>, Iterator<String>> {
    @Override
    public Iterator<String> call(Integer partition, Iterator<InternalRow> rows) throws IOException {
      if (!rows.hasNext()) {
        return List.<String>of().iterator();
      }
      int attempt = TaskContext.get() == null ? 0 : TaskContext.get().attemptNumber();
      String name = String.format("part-%05d-attempt-%d.npz", partition, attempt);
      Map<String, Tables.Table> byFolder = new java.util.LinkedHashMap<>();
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
          Path file = Path.of(staging, relative);
          Files.createDirectories(file.getParent());
          entry.getValue().writer().finish();
          NumpyTables.write(entry.getValue().root(), file, settings.writeOptions());
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
