package io.arrownpz.spark;

import io.arrownpz.NumpyTables;
import io.arrownpz.ReadOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads one file as batches of Spark columns that are our Arrow vectors: for a mapped layout, views of the
 * file's mapping. A batch is valid until the next call of {@link #next}, as Spark's contract says; closing
 * the reader closes its vectors, the file's mapping and its allocator, which must then hold nothing.
 */
final class NumpyPartitionReader implements PartitionReader<ColumnarBatch> {
  private final BufferAllocator allocator;
  private final ArrowReader reader; // null when the file is skipped (ignoreCorruptFiles, ignoreMissingFiles)
  private final String[] columns;
  private final String file;
  private final NumpyScan.ReadSettings settings;
  private long rowsLeft;
  private ColumnarBatch batch;

  NumpyPartitionReader(String file, String[] columns, NumpyScan.ReadSettings settings) throws IOException {
    this.file = file;
    this.columns = columns;
    this.settings = settings;
    this.rowsLeft = settings.limit();
    this.allocator = new RootAllocator();
    ArrowReader opened = null;
    try {
      opened = NumpyTables.openReader(Path.of(file), allocator, ReadOptions.DEFAULTS, settings.batchRows());
    } catch (IOException | RuntimeException e) {
      if (!skips(e)) {
        allocator.close();
        throw e;
      }
    }
    this.reader = opened;
  }

  /** Whether a failure to read the file is one the settings say to pass over (with no rows). */
  private boolean skips(Exception e) {
    boolean missing = e instanceof java.nio.file.NoSuchFileException
        || e instanceof io.arrownpz.BadFileException && String.valueOf(e.getMessage()).endsWith("no such file");
    return missing ? settings.ignoreMissingFiles() : settings.ignoreCorruptFiles() && e instanceof IOException;
  }

  @Override
  public boolean next() throws IOException {
    if (reader == null || rowsLeft <= 0 || !reader.loadNextBatch()) {
      return false;
    }
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    ColumnVector[] vectors = new ColumnVector[columns.length];
    for (int i = 0; i < columns.length; i++) {
      FieldVector vector = root.getVector(columns[i]);
      if (vector == null) {
        throw new IOException(file + ": no column '" + columns[i] + "' (the files differ)");
      }
      vectors[i] = new ArrowColumnVector(vector);
    }
    int rows = (int) Math.min(root.getRowCount(), rowsLeft);
    rowsLeft -= rows;
    batch = new ColumnarBatch(vectors, rows);
    return true;
  }

  @Override
  public ColumnarBatch get() {
    return batch;
  }

  @Override
  public void close() throws IOException {
    try {
      if (reader != null) {
        reader.close();
      }
    } finally {
      allocator.close();
    }
  }

  /** Makes the readers of a scan's partitions, on the executors. */
  record Factory(String[] columns, NumpyScan.ReadSettings settings) implements PartitionReaderFactory {
    @Override
    public boolean supportColumnarReads(InputPartition partition) {
      return true;
    }

    @Override
    public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
      try {
        return new NumpyPartitionReader(((NumpyScan.NumpyPartition) partition).file(), columns, settings);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
      throw new UnsupportedOperationException("npz: read in columnar batches only");
    }
  }
}
