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
 *
 * <p>Writing ({@code df.write.format("npz").mode(...).save(dir)}) goes through Spark's own path for sources
 * that create relations, which hands this class every save mode; the table it reads declares no batch
 * write, so that Spark takes that path ({@link NpzWriteJob}).
 */
public final class NumpyDataSource implements TableProvider, DataSourceRegister,
    org.apache.spark.sql.sources.CreatableRelationProvider {
  @Override
  public String shortName() {
    return "npz";
  }

  /**
   * Takes a schema given from outside: a write's (Spark asks for the table of the path it is about to
   * write, which need not exist yet), or {@code spark.read.schema(...)}'s, instead of reading headers.
   */
  @Override
  public boolean supportsExternalMetadata() {
    return true;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return NumpyFiles.of(options).sparkSchema(caseSensitive(), options.getBoolean("nearestType", false),
        Boolean.parseBoolean(sessionSetting("spark.sql.sources.partitionColumnTypeInference.enabled", "true")));
  }

  /** Spark's {@code spark.sql.caseSensitive} in the session reading (false, Spark's default, without one). */
  static boolean caseSensitive() {
    return Boolean.parseBoolean(sessionSetting("spark.sql.caseSensitive", "false"));
  }

  /** A read option, else the session's setting of the same meaning, else false. */
  static boolean flag(CaseInsensitiveStringMap options, String option, String setting) {
    return options.containsKey(option) ? options.getBoolean(option, false)
        : Boolean.parseBoolean(sessionSetting(setting, "false"));
  }

  /** A setting of the active session, or {@code otherwise} when it has none (or there is no session). */
  private static String sessionSetting(String key, String otherwise) {
    return org.apache.spark.sql.SparkSession.getActiveSession().map(s -> s.conf().get(key, otherwise))
        .getOrElse(() -> otherwise);
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new NumpyTable(new CaseInsensitiveStringMap(properties), schema);
  }

  @Override
  public org.apache.spark.sql.sources.BaseRelation createRelation(org.apache.spark.sql.SQLContext context,
      org.apache.spark.sql.SaveMode mode, scala.collection.immutable.Map<String, String> parameters,
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> data) {
    Map<String, String> options = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    options.putAll(scala.jdk.javaapi.CollectionConverters.asJava(parameters));
    String path = options.get("path");
    if (path == null) {
      throw new IllegalArgumentException("npz: give a directory: df.write.format(\"npz\").save(DIR)");
    }
    try {
      NpzWriteJob.run(data, path, mode,
          NpzWriteJob.Settings.of(options, context.sparkSession().sessionState().conf().sessionLocalTimeZone()),
          HadoopFiles.of(options));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    StructType schema = data.schema();
    return new org.apache.spark.sql.sources.BaseRelation() {
      @Override
      public org.apache.spark.sql.SQLContext sqlContext() {
        return context;
      }

      @Override
      public StructType schema() {
        return schema;
      }
    };
  }
}
