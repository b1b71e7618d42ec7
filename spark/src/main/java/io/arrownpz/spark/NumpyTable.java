package io.arrownpz.spark;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** The files of one load as a table Spark reads in batches. */
final class NumpyTable implements SupportsRead {
  private final NumpyFiles files;
  private final StructType schema;

  NumpyTable(NumpyFiles files, StructType schema) {
    this.files = files;
    this.schema = schema;
  }

  @Override
  public String name() {
    return files.files().size() == 1 ? files.files().get(0) : files.files().size() + " NumPy files";
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
    return new NumpyScan.Builder(files, schema, new NumpyScan.ReadSettings(
        options.getInt("batchRows", NumpyScan.DEFAULT_BATCH_ROWS), Long.MAX_VALUE,
        NumpyDataSource.flag(options, "ignoreCorruptFiles", "spark.sql.files.ignoreCorruptFiles"),
        NumpyDataSource.flag(options, "ignoreMissingFiles", "spark.sql.files.ignoreMissingFiles")));
  }
}
