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
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The files a load names, and their one schema, read from their headers alone: an {@code .npy}, an NPZ,
 * an NPY-directory frame, or a directory of them (each file one part of the table).
 *
 * @param files the files, in name order
 * @param schema their Arrow schema (nullability merged: a column is nullable where any file's is)
 */
record NumpyFiles(List<String> files, Schema schema) implements Serializable {
  static NumpyFiles of(CaseInsensitiveStringMap options) {
    String path = options.get("path");
    if (path == null) {
      throw new IllegalArgumentException("npz: give a path: spark.read.format(\"npz\").load(PATH)");
    }
    List<String> files = list(Path.of(path));
    if (files.isEmpty()) {
      throw new IllegalArgumentException(path + ": holds no .npy, .npz or NPY-directory frame");
    }
    boolean ignoreCorrupt = NumpyDataSource.flag(options, "ignoreCorruptFiles", "spark.sql.files.ignoreCorruptFiles");
    try (BufferAllocator allocator = new RootAllocator()) {
      Schema schema = null;
      String first = null;
      List<String> readable = new ArrayList<>();
      for (String file : files) {
        Schema next;
        try {
          next = schemaOf(Path.of(file), allocator);
        } catch (IOException e) {
          if (ignoreCorrupt) {
            continue; // as Spark's file sources do with ignoreCorruptFiles: the file is no part of the table
          }
          throw e;
        }
        readable.add(file);
        if (schema == null) {
          schema = next;
          first = file;
        } else {
          schema = merged(schema, first, next, file);
        }
      }
      if (schema == null) {
        throw new IllegalArgumentException(path + ": no readable .npy, .npz or NPY-directory frame");
      }
      return new NumpyFiles(readable, schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A file's schema from its headers: an {@code .npy}'s, a plain NPZ's members' (nullable where a mask
   * member goes with them), without touching a value; a frame's or a packed table's as {@link
   * NumpyTables#outline} gives it (headers, labels and a first row).
   */
  private static Schema schemaOf(Path file, BufferAllocator allocator) throws IOException {
    io.arrownpz.arrow.NpyReadOptions arrays = io.arrownpz.arrow.NpyReadOptions.DEFAULTS;
    String name = file.getFileName().toString();
    if (name.endsWith(".npy") && Files.isRegularFile(file)) {
      return new Schema(List.of(io.arrownpz.arrow.NumpyArrowTypes.columnField(NumpyTables.columnName(file),
          io.arrownpz.npy.NpyFile.readHeader(file), arrays)));
    }
    if (name.endsWith(".npz") && Files.isRegularFile(file)) {
      try (io.arrownpz.npz.NpzArchive npz = io.arrownpz.npz.NpzArchive.open(file)) {
        if (npz.layout() == io.arrownpz.npz.NpzLayout.PLAIN && io.arrownpz.npz.PlainNpz.tables(npz).isEmpty()) {
          String mask = io.arrownpz.npz.PackedNpz.MASK_SUFFIX;
          List<Field> fields = new ArrayList<>();
          for (io.arrownpz.zip.ZipEntry entry : npz.entries()) {
            String key = io.arrownpz.npz.NpzArchive.key(entry.name());
            if (key.endsWith(mask) && npz.zip().entry(key.substring(0, key.length() - mask.length())
                + io.arrownpz.npz.NpzArchive.NPY_SUFFIX) != null) {
              continue; // the nulls of another member
            }
            Field field = io.arrownpz.arrow.NumpyArrowTypes.columnField(key, npz.header(entry), arrays);
            boolean masked = npz.zip().entry(key + mask + io.arrownpz.npz.NpzArchive.NPY_SUFFIX) != null;
            fields.add(masked && !field.isNullable()
                ? new Field(field.getName(), new org.apache.arrow.vector.types.pojo.FieldType(true,
                    field.getType(), field.getDictionary(), field.getMetadata()), field.getChildren())
                : field);
          }
          return new Schema(fields);
        }
      }
    }
    return NumpyTables.outline(file, allocator, ReadOptions.DEFAULTS).schema();
  }

  /**
   * The Spark schema of the files: the columns Spark can take as they are (see {@link SparkTypes}). Labels
   * that Spark's analysis would refuse later (the same name twice, or names that differ only in case
   * while {@code spark.sql.caseSensitive} is false, as StaticFrame and pandas allow) are refused now,
   * naming them and the setting that admits the second kind.
   */
  StructType sparkSchema(boolean caseSensitive, boolean nearest) {
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    java.util.List<String> clashes = new java.util.ArrayList<>();
    boolean exact = false;
    for (Field f : schema.getFields()) {
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
      throw new IllegalArgumentException("npz: " + files.get(0) + ": columns " + String.join(", ", clashes)
          + (exact ? " have the same name: Spark cannot hold both"
              : " differ only in case: read with spark.sql.caseSensitive=true"));
    }
    return SparkTypes.of(schema, nearest);
  }

  private static List<String> list(Path path) {
    if (!Files.isDirectory(path) || Files.isRegularFile(path.resolve("__meta__.json"))) {
      return List.of(path.toString());
    }
    try (Stream<Path> entries = Files.list(path)) {
      List<String> found = new ArrayList<>();
      entries.sorted().forEach(p -> {
        String name = p.getFileName().toString();
        if (name.startsWith(".") || name.startsWith("_")) {
          return; // _SUCCESS, partial files
        }
        if (Files.isRegularFile(p) && (name.endsWith(".npy") || name.endsWith(".npz"))
            || Files.isRegularFile(p.resolve("__meta__.json"))) {
          found.add(p.toString());
        }
      });
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two files' schemas as one, where they differ only in nullability; else an error naming both files. */
  private static Schema merged(Schema a, String aFile, Schema b, String bFile) {
    List<Field> fields = new ArrayList<>();
    boolean same = a.getFields().size() == b.getFields().size();
    for (int i = 0; same && i < a.getFields().size(); i++) {
      Field x = a.getFields().get(i);
      Field y = b.getFields().get(i);
      same = x.getName().equals(y.getName()) && x.getType().equals(y.getType());
      if (same) {
        fields.add(x.isNullable() || !y.isNullable() ? x
            : new Field(x.getName(), y.getFieldType(), x.getChildren()));
      }
    }
    if (!same) {
      throw new IllegalArgumentException("npz: " + bFile + " and " + aFile + " hold different columns: "
          + SparkTypes.describe(b) + " against " + SparkTypes.describe(a));
    }
    return new Schema(fields, a.getCustomMetadata());
  }
}
