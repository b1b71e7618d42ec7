package io.arrownpz.spark;

import java.util.Arrays;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.StructType;

/** A read of some columns of the files, a file a partition. */
final class NumpyScan implements Scan, Batch {
  static final int DEFAULT_BATCH_ROWS = 65_536;

  private final NumpyFiles files;
  private final StructType columns;
  private final int batchRows;

  private NumpyScan(NumpyFiles files, StructType columns, int batchRows) {
    this.files = files;
    this.columns = columns;
    this.batchRows = batchRows;
  }

  /** Takes the columns Spark needs (column pruning), then makes the scan. */
  static final class Builder implements ScanBuilder, SupportsPushDownRequiredColumns {
    private final NumpyFiles files;
    private StructType columns;
    private final int batchRows;

    Builder(NumpyFiles files, StructType schema, int batchRows) {
      this.files = files;
      this.columns = schema;
      this.batchRows = batchRows;
    }

    @Override
    public void pruneColumns(StructType required) {
      columns = required;
    }

    @Override
    public Scan build() {
      return new NumpyScan(files, columns, batchRows);
    }
  }

  @Override
  public StructType readSchema() {
    return columns;
  }

  @Override
  public String description() {
    return "NumPy files " + files.files() + " " + Arrays.toString(columns.fieldNames());
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return files.files().stream().map(NumpyPartition::new).toArray(InputPartition[]::new);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new NumpyPartitionReader.Factory(columns.fieldNames(), batchRows);
  }

  /** One file of the scan. */
  record NumpyPartition(String file) implements InputPartition {}
}
