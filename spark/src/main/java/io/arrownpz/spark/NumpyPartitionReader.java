package io.arrownpz.spark;

import io.arrownpz.BadFileException;
import io.arrownpz.NumpyTables;
import io.arrownpz.ReadOptions;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
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
 * Reads a partition's pieces of files as batches of Spark columns that are our Arrow vectors: for a mapped
 * layout, views of the file's mapping. A batch is valid until the next call of {@link #next}, as Spark's
 * contract says; closing the reader closes its vectors, the files' mappings and its allocator, which must
 * then hold nothing.
 */
final class NumpyPartitionReader implements PartitionReader<ColumnarBatch> {
  private final BufferAllocator allocator = new RootAllocator();
  private final Deque<FilePieces.Piece> pieces;
  /** The columns asked for, each of a file or of its partition folders. */
  private final String[] columns;
  /** Their Spark types, which every file's columns must have. */
  private final org.apache.spark.sql.types.DataType[] types;
  /** Per column asked for: the index of its partition key, or -1 for a column of the files. */
  private final int[] partitionKey;
  /** The columns of the files among those asked for. */
  private final String[] fileColumns;
  private final org.apache.spark.sql.types.StructType partitions;
  private final NumpyScan.ReadSettings settings;
  private long rowsLeft;
  private FilePieces.Piece currentPiece;
  private Batches current;
  private ColumnarBatch batch;
  /** Per column asked for, of the current piece: whether its vectors are copied into their Spark type. */
  private boolean[] copied;
  /** Copies of this batch's columns in their nearest Spark types, closed at the next batch. */
  private final java.util.List<FieldVector> converted = new java.util.ArrayList<>();
  /** This batch's columns read at their addresses, released before their vectors can go. */
  private final java.util.List<FixedWidthColumn> addressed = new java.util.ArrayList<>();

  NumpyPartitionReader(List<FilePieces.Piece> pieces, org.apache.spark.sql.types.StructType asked,
      org.apache.spark.sql.types.StructType partitions, NumpyScan.ReadSettings settings) {
    this.pieces = new ArrayDeque<>(pieces);
    this.columns = asked.fieldNames();
    this.types = java.util.Arrays.stream(asked.fields()).map(f -> f.dataType())
        .toArray(org.apache.spark.sql.types.DataType[]::new);
    this.partitions = partitions;
    this.partitionKey = new int[columns.length];
    List<String> keys = List.of(partitions.fieldNames());
    List<String> own = new java.util.ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      partitionKey[i] = keys.indexOf(columns[i]);
      if (partitionKey[i] < 0) {
        own.add(columns[i]);
      }
    }
    this.fileColumns = own.toArray(String[]::new);
    this.settings = settings;
    this.rowsLeft = settings.limit();
  }

  /** The batches of one piece. */
  private interface Batches extends AutoCloseable {
    /** The next batch's table, or null after the last. */
    VectorSchemaRoot next() throws IOException;

    @Override
    void close() throws IOException;
  }

  @Override
  public boolean next() throws IOException {
    releaseColumns();
    while (rowsLeft > 0) {
      if (current == null) {
        FilePieces.Piece piece = pieces.poll();
        if (piece == null) {
          return false;
        }
        currentPiece = piece;
        copied = null; // checked at the piece's first batch
        current = open(piece);
        if (current == null) {
          continue; // skipped, as the settings say
        }
      }
      VectorSchemaRoot root = current.next();
      if (root == null) {
        current.close();
        current = null;
        continue;
      }
      closeConverted();
      if (copied == null) {
        copied = checked(root);
      }
      int rows = (int) Math.min(root.getRowCount(), rowsLeft);
      ColumnVector[] vectors = new ColumnVector[columns.length];
      for (int i = 0; i < columns.length; i++) {
        if (partitionKey[i] >= 0) {
          vectors[i] = PartitionColumns.constant(partitions.fields()[partitionKey[i]],
              currentPiece.partitionValues().get(partitionKey[i]), rows, currentPiece.file());
          continue;
        }
        FieldVector vector = root.getVector(columns[i]);
        if (copied[i]) {
          vector = NearestTypes.convert(vector, allocator); // the schema took its nearest type: the option was given
          converted.add(vector);
        }
        FixedWidthColumn fixed = FixedWidthColumn.of(types[i], vector, rows);
        if (fixed != null) {
          addressed.add(fixed);
          vectors[i] = fixed;
        } else {
          vectors[i] = new ArrowColumnVector(vector);
        }
      }
      rowsLeft -= rows;
      batch = new ColumnarBatch(vectors, rows);
      return true;
    }
    return false;
  }

  /**
   * Per column asked for, whether the piece's vectors reach Spark by a copy into their Spark type; an
   * IOException naming the file when a column is missing or of another type than the table's schema (which
   * came from the first file). Once per piece: its batches share their fields.
   */
  private boolean[] checked(VectorSchemaRoot root) throws IOException {
    boolean[] copy = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      if (partitionKey[i] >= 0) {
        continue;
      }
      FieldVector vector = root.getVector(columns[i]);
      if (vector == null) {
        throw new IOException("npz: " + currentPiece.file() + ": no column '" + columns[i] + "', which the "
            + "table's schema (from its first file) has");
      }
      org.apache.spark.sql.types.DataType type = sparkType(vector);
      if (!types[i].equals(type)) {
        throw new IOException("npz: " + currentPiece.file() + ": column '" + columns[i] + "' is " + type
            + ", where the table's schema (from its first file) has " + types[i].simpleString());
      }
      copy[i] = !SparkTypes.direct(vector.getField());
    }
    return copy;
  }

  /** The Spark type a file's column is read as (its nearest when Spark has none: the schema says which). */
  private static org.apache.spark.sql.types.DataType sparkType(FieldVector vector) {
    try {
      return SparkTypes.type(vector.getField(), true);
    } catch (UnsupportedOperationException none) {
      return org.apache.spark.sql.types.DataTypes.NullType;
    }
  }

  /** A piece's batches; null when a failure to open it is one the settings pass over. */
  private Batches open(FilePieces.Piece piece) throws IOException {
    try {
      return piece.whole() ? wholeFile(piece.file()) : new RowRange(piece, settings.fileSystems(), settings.batchRows(), allocator);
    } catch (IOException | RuntimeException e) {
      boolean missing = e instanceof NoSuchFileException
          || e instanceof BadFileException && String.valueOf(e.getMessage()).endsWith("no such file");
      if (missing ? settings.ignoreMissingFiles() : settings.ignoreCorruptFiles() && e instanceof IOException) {
        return null;
      }
      throw e;
    }
  }

  private Batches wholeFile(String file) throws IOException {
    java.nio.file.Path local = HadoopFiles.localPath(file);
    ArrowReader reader;
    if (local != null && java.nio.file.Files.isDirectory(local)) { // an NPY-directory frame
      reader = NumpyTables.openReader(local, allocator, ReadOptions.DEFAULTS, settings.batchRows());
    } else if (file.endsWith(".npz")) {
      io.arrownpz.npz.NpzArchive npz = io.arrownpz.npz.NpzArchive.open(settings.fileSystems().open(file),
          ReadOptions.DEFAULTS.maxInflatedBytes());
      Batches members;
      try {
        members = membersAskedFor(npz);
      } catch (IOException | RuntimeException e) {
        npz.close();
        throw e;
      }
      if (members != null) {
        npz.close(); // the members' vectors hold what they need of it
        return members;
      }
      reader = NumpyTables.openReader(npz, allocator, ReadOptions.DEFAULTS, settings.batchRows());
    } else {
      reader = NumpyTables.openReader(settings.fileSystems().open(file), allocator, ReadOptions.DEFAULTS,
          settings.batchRows());
    }
    return new Batches() {
      @Override
      public VectorSchemaRoot next() throws IOException {
        return reader.loadNextBatch() ? reader.getVectorSchemaRoot() : null;
      }

      @Override
      public void close() throws IOException {
        reader.close();
      }
    };
  }

  /**
   * Only the columns asked for of a plain NPZ, each read as its own member (with its mask), so that a
   * column nobody asked for is neither mapped nor read nor converted nor inflated; null for other layouts,
   * or when every column is asked for. The caller closes the archive.
   */
  private Batches membersAskedFor(io.arrownpz.npz.NpzArchive npz) throws IOException {
    if (npz.layout() != io.arrownpz.npz.NpzLayout.PLAIN
        || io.arrownpz.npz.PlainNpz.tables(npz).size() > 0) {
      return null;
    }
    java.util.Set<String> keys = new java.util.HashSet<>();
    npz.entries().forEach(e -> keys.add(io.arrownpz.npz.NpzArchive.key(e.name())));
    if (keys.stream().filter(k -> !k.endsWith(io.arrownpz.npz.PackedNpz.MASK_SUFFIX)).count() <= fileColumns.length) {
      return null;
    }
    List<FieldVector> vectors = new java.util.ArrayList<>();
    long rows = -1;
    if (fileColumns.length == 0) { // count(*), or partition columns alone: the rows, from the first member's header
      io.arrownpz.zip.ZipEntry first = npz.entries().get(0);
      io.arrownpz.npy.NpyHeader header = npz.header(first);
      rows = header.rank() == 0 ? 1 : header.dim(0);
      if (rows > Integer.MAX_VALUE) {
        return null; // more than one batch can count: read in windows as any other table
      }
    }
    try {
      List<io.arrownpz.zip.ZipEntry> asked = new java.util.ArrayList<>();
      for (String column : fileColumns) {
        asked.add(npz.entry(column));
        io.arrownpz.zip.ZipEntry mask = io.arrownpz.npz.PlainNpz.maskEntry(npz, column);
        if (mask != null) {
          asked.add(mask);
        }
      }
      npz.zip().willRead(asked); // on a file elsewhere: the columns asked for, in as few reads as their gaps allow
      for (String column : fileColumns) {
        VectorSchemaRoot one = io.arrownpz.npz.PlainNpz.readMember(npz, column, allocator,
            io.arrownpz.arrow.NpyReadOptions.DEFAULTS);
        vectors.add(one.getVector(0));
      }
    } catch (IOException | RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    VectorSchemaRoot table = new VectorSchemaRoot(vectors);
    if (rows >= 0) {
      table.setRowCount((int) rows);
    }
    return new Batches() {
      private boolean given;

      @Override
      public VectorSchemaRoot next() {
        if (given) {
          return null;
        }
        given = true;
        return table;
      }

      @Override
      public void close() {
        table.close();
      }
    };
  }

  /**
   * A range of an {@code .npy}'s rows, a batch at a time: only the range is mapped, and each batch's column
   * is a view of its rows in that mapping.
   */
  private static final class RowRange implements Batches {
    private final NpyArray array;
    private final String name;
    private final NpyVectorReader vectors;
    private final int batchRows;
    private long next;
    private final long end;
    private VectorSchemaRoot root;

    RowRange(FilePieces.Piece piece, HadoopFiles fileSystems, int batchRows, BufferAllocator allocator)
        throws IOException {
      try (io.arrownpz.input.InputFile file = fileSystems.open(piece.file())) {
        this.array = NpyFile.openRows(file, piece.from(), piece.count());
        this.name = NumpyTables.columnName(file);
      }
      this.vectors = new NpyVectorReader(allocator);
      this.batchRows = batchRows;
      this.next = 0;
      this.end = piece.count();
    }

    @Override
    public VectorSchemaRoot next() throws IOException {
      closeBatch();
      if (next >= end) {
        return null;
      }
      long count = Math.min(batchRows, end - next);
      try (NpyArray rows = array.rows(next, count)) {
        root = VectorSchemaRoot.of(vectors.read(rows, name));
      }
      next += count;
      return root;
    }

    private void closeBatch() {
      if (root != null) {
        root.close();
        root = null;
      }
    }

    @Override
    public void close() {
      closeBatch();
      array.close();
    }
  }

  @Override
  public ColumnarBatch get() {
    return batch;
  }

  private void releaseColumns() {
    addressed.forEach(FixedWidthColumn::release);
    addressed.clear();
  }

  private void closeConverted() {
    converted.forEach(FieldVector::close);
    converted.clear();
  }

  @Override
  public void close() throws IOException {
    releaseColumns();
    closeConverted();
    try {
      if (current != null) {
        current.close();
      }
    } finally {
      allocator.close();
    }
  }

  /** Makes the readers of a scan's partitions, on the executors. */
  record Factory(org.apache.spark.sql.types.StructType columns, org.apache.spark.sql.types.StructType partitions,
      NumpyScan.ReadSettings settings)
      implements PartitionReaderFactory {
    @Override
    public boolean supportColumnarReads(InputPartition partition) {
      return true;
    }

    @Override
    public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
      return new NumpyPartitionReader(((NumpyScan.NumpyPartition) partition).pieces(), columns, partitions,
          settings);
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
      throw new UnsupportedOperationException("npz: read in columnar batches only");
    }
  }
}
