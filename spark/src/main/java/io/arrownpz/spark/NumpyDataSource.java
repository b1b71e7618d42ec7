package io.arrownpz.spark;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * NumPy files as a Spark source: {@code spark.read.format("npz").load(path)} reads an {@code .npy}, an
 * NPZ (plain, packed events, StaticFrame frame), an NPY-directory frame, or a directory of such files as
 * one table. The schema comes from the files' headers; batches reach Spark as {@code ColumnarBatch}es of
 * Arrow vectors, views of the files' mappings where the layout allows.
 */
public final class NumpyDataSource implements TableProvider, DataSourceRegister {
  @Override
  public String shortName() {
    return "npz";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return NumpyFiles.of(options).sparkSchema(caseSensitive(), options.getBoolean("nearestType", false));
  }

  /** Spark's {@code spark.sql.caseSensitive} in the session reading (false, Spark's default, without one). */
  static boolean caseSensitive() {
    return org.apache.spark.sql.SparkSession.getActiveSession().map(s -> Boolean.parseBoolean(
        s.conf().get("spark.sql.caseSensitive", "false"))).getOrElse(() -> false);
  }

  /** A read option, else the session's setting of the same meaning, else false. */
  static boolean flag(CaseInsensitiveStringMap options, String option, String setting) {
    if (options.containsKey(option)) {
      return options.getBoolean(option, false);
    }
    return org.apache.spark.sql.SparkSession.getActiveSession().map(s -> Boolean.parseBoolean(
        s.conf().get(setting, "false"))).getOrElse(() -> false);
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new NumpyTable(NumpyFiles.of(new CaseInsensitiveStringMap(properties)), schema);
  }
}
