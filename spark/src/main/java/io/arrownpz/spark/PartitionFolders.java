package io.arrownpz.spark;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Where {@code partitionBy} puts a row: folders {@code KEY=VALUE/...} named by its values of the keys (a
 * null as {@code __HIVE_DEFAULT_PARTITION__}, characters a path cannot hold percent-escaped, as Spark and
 * Hive spell them), and the row's other columns, which are what the file holds.
 */
final class PartitionFolders implements Serializable {
  private final StructType dataSchema;
  private final int[] dataOrdinals;
  private final int[] keyOrdinals;
  private final StructField[] keys;

  private PartitionFolders(StructType dataSchema, int[] dataOrdinals, int[] keyOrdinals, StructField[] keys) {
    this.dataSchema = dataSchema;
    this.dataOrdinals = dataOrdinals;
    this.keyOrdinals = keyOrdinals;
    this.keys = keys;
  }

  /** The folders of {@code partitionBy} over rows of {@code schema}; an error for a key that is no column. */
  static PartitionFolders of(StructType schema, List<String> partitionBy) {
    int[] keyOrdinals = new int[partitionBy.size()];
    StructField[] keys = new StructField[partitionBy.size()];
    for (int k = 0; k < keyOrdinals.length; k++) {
      keyOrdinals[k] = ordinal(schema, partitionBy.get(k));
      keys[k] = schema.fields()[keyOrdinals[k]];
      DataType type = keys[k].dataType();
      boolean named = type instanceof org.apache.spark.sql.types.NumericType || type.equals(DataTypes.StringType)
          || type.equals(DataTypes.BooleanType) || type.equals(DataTypes.DateType);
      if (!named) {
        throw new IllegalArgumentException("npz: cannot partition by '" + keys[k].name() + "': folders are named "
            + "by numbers, strings, booleans and dates, not by a " + type.simpleString());
      }
    }
    if (keyOrdinals.length > 0 && keyOrdinals.length >= schema.size()) {
      throw new IllegalArgumentException("npz: cannot partition by every column " + partitionBy
          + ": the files would hold none");
    }
    List<Integer> data = new ArrayList<>();
    StructType dataSchema = new StructType();
    for (int i = 0; i < schema.size(); i++) {
      final int column = i;
      if (java.util.Arrays.stream(keyOrdinals).noneMatch(o -> o == column)) {
        data.add(i);
        dataSchema = dataSchema.add(schema.fields()[i]);
      }
    }
    return new PartitionFolders(dataSchema, data.stream().mapToInt(Integer::intValue).toArray(), keyOrdinals, keys);
  }

  private static int ordinal(StructType schema, String name) {
    String[] names = schema.fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    int found = -1;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        if (found >= 0) {
          throw new IllegalArgumentException("npz: partition column '" + name + "' names both '" + names[found]
              + "' and '" + names[i] + "'");
        }
        found = i;
      }
    }
    if (found < 0) {
      throw new IllegalArgumentException("npz: partition column '" + name + "' is not one of "
          + java.util.Arrays.toString(names));
    }
    return found;
  }

  /** The columns the files hold: all but the keys. */
  StructType dataSchema() {
    return dataSchema;
  }

  /** The row's folder below the output directory, {@code ""} without keys. */
  String folder(InternalRow row) {
    StringBuilder folder = new StringBuilder();
    for (int k = 0; k < keys.length; k++) {
      if (k > 0) {
        folder.append('/');
      }
      folder.append(escape(keys[k].name())).append('=');
      int ordinal = keyOrdinals[k];
      if (row.isNullAt(ordinal)) {
        folder.append(SourceFiles.NULL_VALUE);
      } else {
        String value = text(row.get(ordinal, keys[k].dataType()), keys[k].dataType());
        folder.append(value.isEmpty() ? SourceFiles.NULL_VALUE : escape(value)); // as Spark writes "": null
      }
    }
    return folder.toString();
  }

  /** The row's columns that the file holds. */
  InternalRow dataColumns(InternalRow row) {
    if (keys.length == 0) {
      return row;
    }
    Object[] values = new Object[dataOrdinals.length];
    for (int i = 0; i < values.length; i++) {
      int ordinal = dataOrdinals[i];
      values[i] = row.isNullAt(ordinal) ? null : row.get(ordinal, dataSchema.fields()[i].dataType());
    }
    return new GenericInternalRow(values);
  }

  private static String text(Object value, DataType type) {
    if (type.equals(DataTypes.DateType)) {
      return LocalDate.ofEpochDay((Integer) value).toString();
    }
    return value.toString(); // numbers, booleans, UTF8String, decimals
  }

  /** Percent-escapes what a folder name cannot hold or a reader would split on, as Hive and Spark do. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c < 0x20 || c == 0x7F || "\"#%'*/:=?\\{[]^".indexOf(c) >= 0) {
        out.append('%').append(String.format("%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
