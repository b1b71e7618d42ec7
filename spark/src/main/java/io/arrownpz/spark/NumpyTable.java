package io.arrownpz.spark;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The files of one load as a table Spark reads in batches. The files are looked up when a scan is built,
 * not before: Spark also asks for the table of a path it is about to write, which need not exist yet.
 */
final class NumpyTable implements SupportsRead {
  private final CaseInsensitiveStringMap options;
  private final StructType schema;
  private NumpyFiles files;

  NumpyTable(CaseInsensitiveStringMap options, StructType schema) {
    this.options = options;
    this.schema = schema;
  }

  private synchronized NumpyFiles files() {
    if (files == null) {
      files = NumpyFiles.listed(options); // the schema is known: no file is opened to plan the scan
    }
    return files;
  }

  @Override
  public String name() {
    return String.valueOf(options.get("path"));
  }

  @Override
  @SuppressWarnings("deprecation")
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Set.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    NumpyFiles files = files();
    return new NumpyScan.Builder(files, schema, new NumpyScan.ReadSettings(
        options.getInt("batchRows", NumpyScan.DEFAULT_BATCH_ROWS), Long.MAX_VALUE,
        NumpyDataSource.flag(options, "ignoreCorruptFiles", "spark.sql.files.ignoreCorruptFiles"),
        NumpyDataSource.flag(options, "ignoreMissingFiles", "spark.sql.files.ignoreMissingFiles"),
        files.source().fileSystems()));
  }
}
