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
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;

/**
 * {@code df.write.format("npz").save(dir)}: an NPZ per task, committed as Spark's file sources commit.
 * Each task attempt writes its partition into {@code dir/_temporary/JOB/}; only after every task has
 * succeeded does the driver move the file of each partition's accepted attempt into {@code dir} (and, for
 * {@code overwrite}, remove the files that were there), then write {@code _SUCCESS}. A failed job, or a
 * failed or superseded attempt, leaves nothing in {@code dir} but the staging folder, which is removed.
 * The directory is a path of the local (or a shared, mounted) file system.
 */
final class NpzWriteJob {
  private NpzWriteJob() {}

  /** How the tasks write: frame or plain NPZ, deflated or stored, aligned. */
  record Settings(boolean frame, boolean deflate, int alignment, String timeZone) implements Serializable {
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
      return new Settings(frame, compression.equals("deflate"), Integer.parseInt(options.getOrDefault("alignment", "0")),
          timeZone);
    }

    WriteOptions writeOptions() {
      return WriteOptions.DEFAULTS.withFormat(NumpyFormat.NPZ).withLayout(frame ? NpzLayout.FRAME : NpzLayout.PLAIN)
          .withNpz(NpzWriteOptions.DEFAULTS.withDeflate(deflate).withAlignment(alignment));
    }
  }

  /** Writes {@code data} into {@code dir} as {@code mode} says; false when {@code ignore} found data there. */
  static boolean run(Dataset<Row> data, Path dir, SaveMode mode, Settings settings) throws IOException {
    boolean holdsData = Files.isDirectory(dir) ? !dataFiles(dir).isEmpty() : Files.exists(dir);
    if (holdsData) {
      if (mode == SaveMode.ErrorIfExists) {
        throw new IllegalArgumentException("npz: " + dir + " already holds data (write with mode \"overwrite\" "
            + "or \"append\")");
      }
      if (mode == SaveMode.Ignore) {
        return false;
      }
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("npz: " + dir + " is a file, not a directory to write parts into");
      }
    }
    String job = UUID.randomUUID().toString();
    Path temporary = dir.resolve("_temporary");
    Path staging = Files.createDirectories(temporary.resolve(job));
    try {
      List<String> written = data.queryExecution().toRdd().toJavaRDD()
          .mapPartitionsWithIndex(new WritePartition(staging.toString(), data.schema(), settings), false)
          .collect();
      if (mode == SaveMode.Overwrite) {
        for (Path old : dataFiles(dir)) {
          Files.deleteIfExists(old);
        }
        Files.deleteIfExists(dir.resolve("_SUCCESS"));
      }
      for (String file : written) {
        Path from = Path.of(file);
        String name = from.getFileName().toString();
        String part = name.substring(0, name.indexOf('.')).replaceFirst("-attempt-\\d+$", "");
        Files.move(from, dir.resolve(part + "-" + job + ".npz"), StandardCopyOption.ATOMIC_MOVE);
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

  /** The data files of a directory written by this source (and any other NumPy files in it). */
  private static List<Path> dataFiles(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      List<Path> found = new ArrayList<>();
      entries.filter(p -> {
        String name = p.getFileName().toString();
        return !name.startsWith("_") && !name.startsWith(".") && (name.endsWith(".npz") || name.endsWith(".npy"));
      }).forEach(found::add);
      return found;
    }
  }

  /** One task: its partition's rows into one NPZ in the staging folder, named by partition and attempt. */
  private record WritePartition(String staging, StructType schema, Settings settings)
      implements Function2<Integer, Iterator<InternalRow>, Iterator<String>> {
    @Override
    public Iterator<String> call(Integer partition, Iterator<InternalRow> rows) throws IOException {
      if (!rows.hasNext()) {
        return List.<String>of().iterator();
      }
      int attempt = TaskContext.get() == null ? 0 : TaskContext.get().attemptNumber();
      Path file = Path.of(staging, String.format("part-%05d-attempt-%d.npz", partition, attempt));
      try (BufferAllocator allocator = new RootAllocator();
           VectorSchemaRoot root = VectorSchemaRoot.create(
               ArrowUtils.toArrowSchema(schema, settings.timeZone(), true, false), allocator)) {
        ArrowWriter writer = ArrowWriter.create(root);
        while (rows.hasNext()) {
          writer.write(rows.next());
        }
        writer.finish();
        NumpyTables.write(root, file, settings.writeOptions());
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      return List.of(file.toString()).iterator();
    }
  }
}
