package io.arrownpz.spark;

import io.arrownpz.NumpyTables;
import io.arrownpz.ReadOptions;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The files a load names ({@link SourceFiles}) and their one schema, read from their headers alone.
 *
 * @param source the data files and the keys of their partition folders
 * @param schema the files' Arrow schema, from the first file's headers, every column nullable; null when the
 *     table's schema is known and the files were only listed
 */
record NumpyFiles(SourceFiles source, Schema schema) implements Serializable {
  /**
   * The files of a load, and their schema from the headers of the first that can be read (the next, when
   * it cannot and {@code ignoreCorruptFiles} is set), as Spark's own file sources infer one from a single
   * file: the other files are not opened until a task reads them (and is not opened at all when a filter
   * on the partition keys leaves it out), and a task fails naming a file whose columns differ. Every
   * column is nullable, since a file not read yet may hold nulls.
   */
  static NumpyFiles of(CaseInsensitiveStringMap options) {
    SourceFiles source = SourceFiles.of(options);
    boolean ignoreCorrupt = NumpyDataSource.flag(options, "ignoreCorruptFiles", "spark.sql.files.ignoreCorruptFiles");
    try (BufferAllocator allocator = new RootAllocator()) {
      IOException first = null;
      for (SourceFiles.DataFile file : source.files()) {
        try {
          return new NumpyFiles(source, nullable(outline(source.fileSystems(), file.path(), allocator).schema()));
        } catch (IOException e) {
          if (!ignoreCorrupt) {
            throw e;
          }
          first = first == null ? e : first; // as Spark's file sources do with ignoreCorruptFiles: the next
        }
      }
      throw new IllegalArgumentException("npz: " + source.files().get(0).path()
          + (source.files().size() > 1 ? " and the others" : "") + ": no readable .npy, .npz or NPY-directory frame"
          + (first != null ? " (" + first.getMessage() + ")" : ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Schema nullable(Schema schema) {
    return new Schema(schema.getFields().stream().map(f -> f.isNullable() ? f : new Field(f.getName(),
        new org.apache.arrow.vector.types.pojo.FieldType(true, f.getType(), f.getDictionary(), f.getMetadata()),
        f.getChildren())).toList(), schema.getCustomMetadata());
  }

  /**
   * The files of a load without their schema, for a scan of a table whose schema is known (inferred before,
   * or given with {@code spark.read.schema}): no file is opened.
   */
  static NumpyFiles listed(CaseInsensitiveStringMap options) {
    return new NumpyFiles(SourceFiles.of(options), null);
  }

  /** These files' schema over {@code files} only (the rest left out by a filter). */
  NumpyFiles withFiles(List<SourceFiles.DataFile> files) {
    return new NumpyFiles(new SourceFiles(files, source.partitionKeys(), source.fileSystems()), schema);
  }

  /** The data files. */
  List<SourceFiles.DataFile> files() {
    return source.files();
  }

  /**
   * A file's schema and rows from its headers ({@link NumpyTables#outline}): an {@code .npy}'s or a plain
   * NPZ's headers; a frame's headers, labels and first row. A local NPY-directory frame by its path.
   */
  static NumpyTables.Outline outline(HadoopFiles fileSystems, String file, BufferAllocator allocator)
      throws IOException {
    java.nio.file.Path local = HadoopFiles.localPath(file);
    if (local != null && java.nio.file.Files.isDirectory(local)) {
      return NumpyTables.outline(local, allocator, ReadOptions.DEFAULTS);
    }
    return NumpyTables.outline(fileSystems.open(file), allocator, ReadOptions.DEFAULTS);
  }

  /**
   * The Spark schema of the files: the columns Spark can take as they are (see {@link SparkTypes}), then
   * the partition folders' keys ({@link PartitionColumns}; a file's own column of a key's name gives way
   * to the key, as in Spark's file sources). Labels that Spark's analysis would refuse later (the same
   * name twice, or names that differ only in case while {@code spark.sql.caseSensitive} is false, as
   * StaticFrame and pandas allow) are refused now, naming them and the setting that admits the second kind.
   */
  StructType sparkSchema(boolean caseSensitive, boolean nearest, boolean inferPartitionTypes) {
    StructType partitions = PartitionColumns.of(source, inferPartitionTypes);
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (String key : partitions.fieldNames()) {
      keys.add(caseSensitive ? key : key.toLowerCase(java.util.Locale.ROOT));
    }
    List<Field> own = schema.getFields().stream()
        .filter(f -> !keys.contains(caseSensitive ? f.getName() : f.getName().toLowerCase(java.util.Locale.ROOT)))
        .toList();
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    java.util.List<String> clashes = new java.util.ArrayList<>();
    boolean exact = false;
    for (Field f : own) {
      String key = caseSensitive ? f.getName() : f.getName().toLowerCase(java.util.Locale.ROOT);
      String before = seen.putIfAbsent(key, f.getName());
      if (before != null) {
        exact |= before.equals(f.getName());
        if (clashes.size() < 5) {
          clashes.add("'" + before + "' and '" + f.getName() + "'");
        }
      }
    }
    if (!clashes.isEmpty()) {
      throw new IllegalArgumentException("npz: " + files().get(0).path() + ": columns " + String.join(", ", clashes)
          + (exact ? " have the same name: Spark cannot hold both"
              : " differ only in case: read with spark.sql.caseSensitive=true"));
    }
    StructType columns = SparkTypes.of(new Schema(own), nearest);
    for (org.apache.spark.sql.types.StructField key : partitions.fields()) {
      columns = columns.add(key);
    }
    return columns;
  }
}
