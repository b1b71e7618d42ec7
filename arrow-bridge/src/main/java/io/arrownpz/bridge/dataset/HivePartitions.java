package io.arrownpz.bridge.dataset;

import io.arrownpz.bridge.FileFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * A folder partitioned the Hive way, as pandas ({@code partition_cols}), polars ({@code partition_by}),
 * DuckDB ({@code PARTITION_BY}) and Spark write one: no data files of its own, only folders named
 * {@code key=value}, one key per level, with the data files at the bottom. Each file is a part of the
 * dataset, and the values its folders name become columns of its rows, after the file's own (as pyarrow's
 * datasets give them), unless the file holds a column of that name itself (polars keeps its keys).
 *
 * <p>A key is a 64-bit integer column where every value is a decimal integer that fits, else a string
 * column; values are percent-decoded, and {@code __HIVE_DEFAULT_PARTITION__} (how writers spell null) is
 * null.
 */
final class HivePartitions {
  /** What Hive, Spark and pyarrow write for a null key. */
  static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";
  /** How many levels of key folders are followed; deeper trees are not taken as datasets. */
  private static final int MAX_LEVELS = 16;

  private HivePartitions() {}

  /** One data file of the dataset, with the raw value of each key its folders name. */
  record DataFile(Path path, FileFormat format, List<String> values) {}

  /**
   * The files of the folder {@code root}, with their keys, or an empty list where it is not partitioned
   * the Hive way.
   *
   * @param children the entries of a folder that may be read (hidden ones and links leading out left out)
   * @param formatOf the format of a data file, null for anything else
   */
  static List<FolderDataset.File> files(Path root, Function<Path, List<Path>> children,
      Function<Path, FileFormat> formatOf) {
    List<String> keys = new ArrayList<>();
    List<DataFile> files = new ArrayList<>();
    if (!walk(root, 0, new ArrayList<>(), keys, files, children, formatOf) || files.isEmpty()
        || files.stream().anyMatch(f -> f.values().size() != keys.size())) {
      return List.of(); // not Hive-shaped, or files at different depths
    }
    List<Field> fields = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      ArrowType type = integersOnly(files, k) ? new ArrowType.Int(64, true) : ArrowType.Utf8.INSTANCE;
      fields.add(Field.nullable(keys.get(k), type));
    }
    List<FolderDataset.File> parts = new ArrayList<>();
    for (DataFile file : files) {
      List<Object> values = new ArrayList<>();
      for (int k = 0; k < keys.size(); k++) {
        String raw = file.values().get(k);
        boolean integer = fields.get(k).getType() instanceof ArrowType.Int;
        values.add(raw == null ? null : integer ? (Object) Long.parseLong(raw) : raw);
      }
      parts.add(new FolderDataset.File(file.path(), file.format(), new PartitionColumns(fields, values)));
    }
    return parts;
  }

  /**
   * Collects the files under {@code dir}, whose folders above named {@code values}; false where the tree is
   * not Hive-shaped (files beside key folders, a folder that is not {@code key=value}, keys that differ
   * within a level).
   */
  private static boolean walk(Path dir, int level, List<String> values, List<String> keys, List<DataFile> files,
      Function<Path, List<Path>> children, Function<Path, FileFormat> formatOf) {
    List<Path> entries = children.apply(dir);
    boolean hasFiles = false;
    boolean hasFolders = false;
    for (Path entry : entries) {
      FileFormat format = formatOf.apply(entry);
      if (format != null) {
        hasFiles = true;
        if (level == 0) {
          return false; // data files of its own: a plain folder
        }
        files.add(new DataFile(entry, format, new ArrayList<>(values))); // nulls among them
      } else if (Files.isDirectory(entry)) {
        hasFolders = true;
        String name = entry.getFileName().toString();
        int eq = name.indexOf('=');
        if (eq <= 0 || level >= MAX_LEVELS) {
          return false;
        }
        String key = decode(name.substring(0, eq));
        if (keys.size() == level) {
          keys.add(key);
        } else if (!keys.get(level).equals(key)) {
          return false;
        }
        String value = name.substring(eq + 1);
        values.add(value.equals(NULL_VALUE) ? null : decode(value));
        boolean shaped = walk(entry, level + 1, values, keys, files, children, formatOf);
        values.remove(values.size() - 1);
        if (!shaped) {
          return false;
        }
      }
    }
    return !(hasFiles && hasFolders); // files beside key folders are not one partitioning
  }

  private static boolean integersOnly(List<DataFile> files, int key) {
    for (DataFile file : files) {
      String v = file.values().get(key);
      if (v != null && !isLong(v)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLong(String text) {
    try {
      Long.parseLong(text);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Percent-decoding as pyarrow's "uri" segment encoding does it ('+' stays '+'); a malformed escape is kept. */
  static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%' && i + 2 < text.length() && hex(text.charAt(i + 1)) >= 0 && hex(text.charAt(i + 2)) >= 0) {
        bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
        i += 2;
      } else {
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          utf8 = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(utf8, 0, utf8.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
