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
  private final ArrowReader reader;
  private final String[] columns;
  private final String file;
  private ColumnarBatch batch;

  NumpyPartitionReader(String file, String[] columns, int batchRows) throws IOException {
    this.file = file;
    this.columns = columns;
    this.allocator = new RootAllocator();
    try {
      this.reader = NumpyTables.openReader(Path.of(file), allocator, ReadOptions.DEFAULTS, batchRows);
    } catch (IOException | RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  @Override
  public boolean next() throws IOException {
    if (!reader.loadNextBatch()) {
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
    batch = new ColumnarBatch(vectors, root.getRowCount());
    return true;
  }

  @Override
  public ColumnarBatch get() {
    return batch;
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      allocator.close();
    }
  }

  /** Makes the readers of a scan's partitions, on the executors. */
  record Factory(String[] columns, int batchRows) implements PartitionReaderFactory {
    @Override
    public boolean supportColumnarReads(InputPartition partition) {
      return true;
    }

    @Override
    public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
      try {
        return new NumpyPartitionReader(((NumpyScan.NumpyPartition) partition).file(), columns, batchRows);
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
