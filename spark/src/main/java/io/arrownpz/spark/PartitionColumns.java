package io.arrownpz.spark;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The columns that Hive-partitioned folders add after a file's own, typed as Spark's file sources type
 * them ({@code spark.sql.sources.partitionColumnTypeInference.enabled}): int when every value is one,
 * else long, else double, else a date ({@code yyyy-MM-dd}), else a string; all strings when inference is
 * off. A missing value ({@code __HIVE_DEFAULT_PARTITION__}) is null in any type.
 */
final class PartitionColumns {
  private PartitionColumns() {}

  /** The partition columns of {@code files}. */
  static StructType of(SourceFiles files, boolean inferTypes) {
    StructField[] fields = new StructField[files.partitionKeys().size()];
    for (int k = 0; k < fields.length; k++) {
      final int key = k;
      List<String> values = files.files().stream().map(f -> f.partitionValues().get(key)).toList();
      fields[k] = DataTypes.createStructField(files.partitionKeys().get(k),
          inferTypes ? typeOf(values) : DataTypes.StringType, true);
    }
    return new StructType(fields);
  }

  private static DataType typeOf(List<String> values) {
    for (DataType type : List.of(DataTypes.IntegerType, DataTypes.LongType, DataTypes.DoubleType, DataTypes.DateType)) {
      if (values.stream().allMatch(v -> v == null || parses(v, type))) {
        return type;
      }
    }
    return DataTypes.StringType;
  }

  private static boolean parses(String value, DataType type) {
    try {
      set(new ConstantColumnVector(1, type), type, value);
      return true;
    } catch (NumberFormatException | DateTimeParseException e) {
      return false;
    }
  }

  /** A column of {@code rows} rows, each {@code value} read as {@code type}; an error naming the key if it is not one. */
  static ConstantColumnVector constant(StructField field, String value, int rows, String file) {
    ConstantColumnVector vector = new ConstantColumnVector(rows, field.dataType());
    try {
      set(vector, field.dataType(), value);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("npz: " + file + ": partition " + field.name() + "=" + value + " is not a "
          + field.dataType().simpleString());
    }
    return vector;
  }

  private static void set(ConstantColumnVector vector, DataType type, String value) {
    if (value == null) {
      vector.setNull();
    } else if (type.equals(DataTypes.IntegerType)) {
      vector.setInt(Integer.parseInt(value));
    } else if (type.equals(DataTypes.LongType)) {
      vector.setLong(Long.parseLong(value));
    } else if (type.equals(DataTypes.ShortType)) {
      vector.setShort(Short.parseShort(value));
    } else if (type.equals(DataTypes.ByteType)) {
      vector.setByte(Byte.parseByte(value));
    } else if (type.equals(DataTypes.DoubleType)) {
      vector.setDouble(Double.parseDouble(value));
    } else if (type.equals(DataTypes.FloatType)) {
      vector.setFloat(Float.parseFloat(value));
    } else if (type.equals(DataTypes.BooleanType)) {
      vector.setBoolean(Boolean.parseBoolean(value));
    } else if (type.equals(DataTypes.DateType)) {
      vector.setInt((int) LocalDate.parse(value).toEpochDay());
    } else if (type.equals(DataTypes.StringType)) {
      vector.setUtf8String(UTF8String.fromString(value));
    } else {
      throw new IllegalArgumentException("npz: partition columns of type " + type.simpleString()
          + " are not read; give it as string, a whole number, a float, a boolean or a date");
    }
  }
}
