package io.arrownpz.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/** A read of some columns of the files, a file a partition, stopping at a pushed limit. */
final class NumpyScan implements Scan, Batch {
  static final int DEFAULT_BATCH_ROWS = 65_536;

  private final NumpyFiles files;
  private final StructType columns;
  private final StructType partitions;
  private final ReadSettings settings;

  private final List<Filter> pruning;
  private final int listed;

  private NumpyScan(NumpyFiles files, StructType columns, StructType partitions, ReadSettings settings,
      List<Filter> pruning, int listed) {
    this.files = files;
    this.columns = columns;
    this.partitions = partitions;
    this.settings = settings;
    this.pruning = pruning;
    this.listed = listed;
  }

  /**
   * What every partition reader of a scan is told.
   *
   * @param batchRows rows a batch handed to Spark holds at most
   * @param limit rows a partition reads at most (a pushed {@code LIMIT}; Spark still applies it on top)
   * @param ignoreCorruptFiles a file that cannot be read gives no rows instead of failing the task
   * @param ignoreMissingFiles a file gone since planning gives no rows instead of failing the task
   * @param fileSystems where the files are read from
   */
  record ReadSettings(int batchRows, long limit, boolean ignoreCorruptFiles, boolean ignoreMissingFiles,
      HadoopFiles fileSystems) implements java.io.Serializable {
    ReadSettings withLimit(long value) {
      return new ReadSettings(batchRows, value, ignoreCorruptFiles, ignoreMissingFiles, fileSystems);
    }
  }

  /**
   * Takes the columns Spark needs (column pruning), the filters on partition keys (files whose folders
   * cannot match are left out before any is opened, {@link PartitionFilters}) and a limit, then makes the
   * scan.
   */
  static final class Builder implements ScanBuilder, SupportsPushDownRequiredColumns, SupportsPushDownLimit,
      SupportsPushDownFilters, org.apache.spark.sql.connector.read.SupportsPushDownAggregates {
    private final NumpyFiles files;
    private final StructType partitions;
    private StructType columns;
    private ReadSettings settings;
    private List<Filter> onKeys = List.of();
    private boolean countOnly;

    /** A scan of {@code schema}, the table's columns, whose fields named as partition keys are those keys. */
    Builder(NumpyFiles files, StructType schema, ReadSettings settings) {
      this.files = files;
      this.columns = schema;
      StructType keys = new StructType();
      for (String key : files.source().partitionKeys()) {
        if (schema.getFieldIndex(key).isEmpty()) {
          throw new IllegalArgumentException("npz: the schema given has no column '" + key
              + "', a partition key of the folders read");
        }
        keys = keys.add(schema.apply(key));
      }
      this.partitions = keys;
      this.settings = settings;
    }

    @Override
    public void pruneColumns(StructType required) {
      columns = required;
    }

    @Override
    public boolean pushLimit(int limit) {
      settings = settings.withLimit(limit);
      return true;
    }

    /** Keeps the filters on partition keys for pruning; Spark applies every filter to the rows again. */
    @Override
    public Filter[] pushFilters(Filter[] filters) {
      onKeys = PartitionFilters.onKeys(filters, partitions, NumpyDataSource.caseSensitive());
      return filters;
    }

    @Override
    public Filter[] pushedFilters() {
      return onKeys.toArray(Filter[]::new);
    }

    /**
     * Takes {@code count(*)} with no grouping (Spark asks only when every filter was pushed, so only for an
     * unfiltered count): each task counts its files' rows from their headers ({@link HeaderCountScan}).
     */
    @Override
    public boolean pushAggregation(org.apache.spark.sql.connector.expressions.aggregate.Aggregation aggregation) {
      countOnly = aggregation.groupByExpressions().length == 0 && aggregation.aggregateExpressions().length == 1
          && aggregation.aggregateExpressions()[0]
              instanceof org.apache.spark.sql.connector.expressions.aggregate.CountStar;
      return countOnly;
    }

    @Override
    public Scan build() {
      if (countOnly) {
        return new HeaderCountScan(files, settings);
      }
      List<SourceFiles.DataFile> kept = PartitionFilters.prune(files.files(), onKeys, partitions,
          NumpyDataSource.caseSensitive());
      return new NumpyScan(files.withFiles(kept), columns, partitions, settings, onKeys, files.files().size());
    }
  }

  @Override
  public StructType readSchema() {
    return columns;
  }

  @Override
  public String description() {
    return "NumPy files (" + files.files().size() + (pruning.isEmpty() ? "" : " of " + listed) + ") "
        + Arrays.toString(columns.fieldNames())
        + (pruning.isEmpty() ? "" : " PartitionFilters: " + pruning)
        + (settings.limit() < Long.MAX_VALUE ? " limit=" + settings.limit() : "");
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return partitions(files);
  }

  /** The files' pieces in input partitions, as the session's settings and parallelism say. */
  static InputPartition[] partitions(NumpyFiles files) {
    org.apache.spark.sql.internal.SQLConf conf = org.apache.spark.sql.internal.SQLConf.get();
    int parallelism = org.apache.spark.sql.SparkSession.getActiveSession()
        .map(s -> s.sparkContext().defaultParallelism()).getOrElse(() -> 1);
    return FilePieces.plan(files.files(), files.source().fileSystems(), conf.filesMaxPartitionBytes(),
        conf.filesOpenCostInBytes(), parallelism)
        .stream().map(NumpyPartition::new).toArray(InputPartition[]::new);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new NumpyPartitionReader.Factory(columns, partitions, settings);
  }

  /** The pieces of files one task reads, one after another. */
  record NumpyPartition(java.util.List<FilePieces.Piece> pieces) implements InputPartition {}
}
