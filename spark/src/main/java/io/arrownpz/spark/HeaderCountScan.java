package io.arrownpz.spark;

import io.arrownpz.NumpyTables;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code count(*)} of a load, pushed down by Spark: each task counts the rows of its pieces from the files'
 * headers (an array's shape, a frame's), no value read, and gives one row, which Spark sums.
 */
final class HeaderCountScan implements Scan, Batch {
  private final NumpyFiles files;
  private final NumpyScan.ReadSettings settings;

  HeaderCountScan(NumpyFiles files, NumpyScan.ReadSettings settings) {
    this.files = files;
    this.settings = settings;
  }

  @Override
  public StructType readSchema() {
    return new StructType().add("count(*)", DataTypes.LongType, false);
  }

  @Override
  public String description() {
    return "NumPy files (" + files.files().size() + ") count(*) from headers";
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return NumpyScan.partitions(files);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new Factory(settings);
  }

  /** Makes each task's counter, on the executors. */
  record Factory(NumpyScan.ReadSettings settings) implements PartitionReaderFactory {
    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
      return new Counter(((NumpyScan.NumpyPartition) partition).pieces(), settings);
    }
  }

  /** One row: the rows of a task's pieces. */
  private static final class Counter implements PartitionReader<InternalRow> {
    private final List<FilePieces.Piece> pieces;
    private final NumpyScan.ReadSettings settings;
    private boolean counted;
    private long rows;

    Counter(List<FilePieces.Piece> pieces, NumpyScan.ReadSettings settings) {
      this.pieces = pieces;
      this.settings = settings;
    }

    @Override
    public boolean next() throws IOException {
      if (counted) {
        return false;
      }
      try (BufferAllocator allocator = new RootAllocator()) {
        for (FilePieces.Piece piece : pieces) {
          rows += piece.whole() ? rowsOf(piece.file(), allocator) : piece.count();
        }
      }
      counted = true;
      return true;
    }

    @Override
    public InternalRow get() {
      return new GenericInternalRow(new Object[] {rows});
    }

    /** A file's rows from its headers ({@link NumpyTables#outline}). */
    private long rowsOf(String file, BufferAllocator allocator) throws IOException {
      try {
        return NumpyFiles.outline(settings.fileSystems(), file, allocator).rows();
      } catch (IOException e) {
        boolean missing = e instanceof NoSuchFileException || String.valueOf(e.getMessage()).endsWith("no such file");
        if (missing ? settings.ignoreMissingFiles() : settings.ignoreCorruptFiles()) {
          return 0;
        }
        throw e;
      }
    }

    @Override
    public void close() {}
  }
}
