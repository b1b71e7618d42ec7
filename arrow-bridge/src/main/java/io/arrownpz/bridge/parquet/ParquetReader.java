package io.arrownpz.bridge.parquet;

import io.arrownpz.bridge.internal.ArrowNative;
import io.arrownpz.bridge.internal.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.dictionary.Dictionary;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An {@link ArrowReader} over a Parquet file that also owns the dataset factory, dataset and scanners
 * behind it, so that closing the reader releases everything. Batches move from the scanners' roots into
 * this reader's without copying; a wide file's columns are read by two scanners at once
 * ({@link #SPLIT_MIN_COLUMNS}), whose batches are put side by side.
 *
 * <p>Memory: Arrow C++'s dataset scan pre-buffers the column chunks it reads and keeps them until the scan
 * ends, so reading a file holds about its size on disk (pyarrow's {@code dataset} does the same by default).
 * Its {@code pre_buffer} option would stop that, but Arrow Java 18.3 passes scan options to C++ for CSV
 * only.
 */
final class ParquetReader extends ArrowReader {
  /**
   * Rows per batch: Arrow C++ queues decoded batches ahead of the reader, so smaller ones hold less (a
   * 10M-row conversion to Feather peaked at 0.88 GB with batches of 1 Mi rows, 0.59 GB with these) and
   * came through faster.
   */
  private static final long BATCH_ROWS = 1 << 16;

  /**
   * Rows per batch of a read of the whole file into one table: as many as a row group holds (Arrow C++
   * decodes a row group whole and slices it into batches, and a batch never spans two), so each row group
   * comes across as one batch, and a file of one row group needs no joining copy. A 100,000-row file of
   * 10 columns read whole: 18.2 -> 12.1 ms; 5M rows in 5 row groups: peak RSS 532 -> 432 MB.
   */
  private static final long WHOLE_BATCH_ROWS = Integer.MAX_VALUE;

  /**
   * Files of this many columns or more, read whole ({@link #openWhole}), are scanned by two scanners at once,
   * each over half of the columns, on two threads: Arrow Java's scanner runs Arrow C++ on one thread (its
   * scan options carry no {@code use_threads}), where {@code pq.read_table} decodes on every core. Measured
   * on 2 cores: 10,000 columns 429 -> 276 ms (zstd); 1,000 and 100 columns of 10 MB no faster or a few
   * percent (the per-scan costs, a few ms, eat the gain).
   */
  static final int SPLIT_MIN_COLUMNS = 4096;

  /**
   * Files of this many bytes or more, with {@link #SPLIT_MIN_COLUMNS_OF_LARGE} columns or more, are split as
   * wide ones are: the decoding the second thread takes over outweighs a second scan's costs (about 1 ms:
   * a thread, a second footer parse and scan). Medians on 2 cores (one scanner -> two): pyarrow's files of
   * 30 double columns, snappy, of 1, 2, 4 and 8 MB: 4.7 -> 5.9, 6.4 -> 7.1, 9.8 -> 9.4, 15.9 -> 12.1 ms;
   * the panel's tall and square frames (101 and 1,001 columns, 6.7-10 MB): 16-29% less (tall_uniform
   * 18.1 -> 14.8 ms, square_uniform 62.7 -> 51.0 ms); 100 double columns of 100 MB: 86 -> 59 ms.
   */
  static final long SPLIT_MIN_BYTES = 6L << 20;

  static final int SPLIT_MIN_COLUMNS_OF_LARGE = 8;

  /** With one core, a second scanner only adds its costs. */
  private static final boolean ONE_CORE = Runtime.getRuntime().availableProcessors() < 2;

  private final FileSystemDatasetFactory factory;
  private final Dataset dataset;
  /** One scanner, or (a wide or large file read whole) one per part of the columns, in column order; batches line up row for row. */
  private final List<Scanner> scanners;
  private final List<ArrowReader> scans;
  /** The footer's UUID and JSON columns by name path, which Arrow C++ reads as plain binary and string. */
  private final java.util.Map<List<String>, String> extensions;
  private boolean sourceClosed;

  private ParquetReader(BufferAllocator allocator, FileSystemDatasetFactory factory, Dataset dataset,
      List<Scanner> scanners, List<ArrowReader> scans, java.util.Map<List<String>, String> extensions) {
    super(allocator);
    this.extensions = extensions;
    this.factory = factory;
    this.dataset = dataset;
    this.scanners = scanners;
    this.scans = scans;
  }

  /** A reader of the file batch by batch, with one scanner: what it holds stays that of one scan. */
  static ParquetReader open(Path path, BufferAllocator allocator) {
    return open(path, allocator, Integer.MAX_VALUE);
  }

  /**
   * A reader for a read of the whole file into one table: a wide or large file is read by two scanners at once, which
   * holds more while it reads (two footers parsed, two scans' buffers: a 10,000-column file to Feather peaked
   * at 302-315 MiB against 262-274 with one), not worth it where a conversion streams batches but where the
   * whole table is held anyway.
   */
  static ParquetReader openWhole(Path path, BufferAllocator allocator) throws IOException {
    int splitMinColumns = Files.size(path) >= SPLIT_MIN_BYTES ? SPLIT_MIN_COLUMNS_OF_LARGE : SPLIT_MIN_COLUMNS;
    return open(path, allocator, splitMinColumns, WHOLE_BATCH_ROWS);
  }

  /** As {@link #open(Path, BufferAllocator)}, splitting the columns from {@code splitMinColumns} on (tests). */
  static ParquetReader open(Path path, BufferAllocator allocator, int splitMinColumns) {
    return open(path, allocator, splitMinColumns, BATCH_ROWS);
  }

  private static ParquetReader open(Path path, BufferAllocator allocator, int splitMinColumns, long batchRows) {
    ArrowNative.loadDataset();
    FileSystemDatasetFactory factory = new FileSystemDatasetFactory(allocator, NativeMemoryPool.getDefault(),
        FileFormat.PARQUET, path.toAbsolutePath().toUri().toString());
    Dataset dataset = null;
    List<Scanner> scanners = new ArrayList<>();
    List<ArrowReader> scans = new ArrayList<>();
    try {
      InspectedSchemas.Inspected inspected = InspectedSchemas.of(factory, path);
      Schema schema = inspected.schema();
      dataset = factory.finish(schema);
      for (String[] columns : parts(schema, splitMinColumns)) {
        Scanner scanner = dataset.newScan(new ScanOptions(batchRows, Optional.ofNullable(columns)));
        scanners.add(scanner);
        scans.add(scanner.scanBatches());
      }
      return new ParquetReader(allocator, factory, dataset, scanners, scans, inspected.extensions());
    } catch (RuntimeException e) {
      scans.forEach(ParquetReader::closeQuietly);
      scanners.forEach(ParquetReader::closeQuietly);
      closeQuietly(dataset);
      factory.close();
      throw e;
    }
  }

  /**
   * The columns each scanner reads: all (one null part), or two halves of a wide file's. Only with two cores
   * or more, where every
   * top-level name is distinct (a scanner takes its columns by name) and no column is dictionary-encoded
   * (each scanner would number its dictionaries from the same ids).
   */
  private static List<String[]> parts(Schema schema, int splitMinColumns) {
    List<Field> fields = schema.getFields();
    if (fields.size() < Math.max(2, splitMinColumns) || Tables.hasDictionary(fields) || ONE_CORE) {
      return Collections.singletonList(null);
    }
    List<String> names = fields.stream().map(Field::getName).toList();
    if (new HashSet<>(names).size() != names.size()) {
      return Collections.singletonList(null);
    }
    int half = names.size() / 2;
    return List.of(names.subList(0, half).toArray(String[]::new),
        names.subList(half, names.size()).toArray(String[]::new));
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (!loadParts()) {
      return false;
    }
    prepareLoadNextBatch();
    if (scans.size() == 1) {
      try (ArrowRecordBatch batch = new VectorUnloader(scans.get(0).getVectorSchemaRoot()).getRecordBatch()) {
        loadRecordBatch(batch);
      }
      return true;
    }
    // The parts' batches side by side are one batch of all the columns: their nodes and buffers in order.
    List<ArrowRecordBatch> parts = new ArrayList<>();
    try {
      int rows = scans.get(0).getVectorSchemaRoot().getRowCount();
      List<ArrowFieldNode> nodes = new ArrayList<>();
      List<ArrowBuf> buffers = new ArrayList<>();
      for (ArrowReader scan : scans) {
        if (scan.getVectorSchemaRoot().getRowCount() != rows) {
          throw new IOException("the scanners of a file's columns gave batches of " + rows + " and "
              + scan.getVectorSchemaRoot().getRowCount() + " rows");
        }
        ArrowRecordBatch part = new VectorUnloader(scan.getVectorSchemaRoot()).getRecordBatch();
        parts.add(part);
        nodes.addAll(part.getNodes());
        buffers.addAll(part.getBuffers());
      }
      try (ArrowRecordBatch whole = new ArrowRecordBatch(rows, nodes, buffers)) {
        loadRecordBatch(whole);
      }
    } finally {
      parts.forEach(ArrowRecordBatch::close);
    }
    return true;
  }

  /**
   * The next batch of every part, the first part's read on this thread while the others are read on the
   * common pool; false once they end (all at once: they cover the same rows).
   */
  private boolean loadParts() throws IOException {
    if (scans.size() == 1) {
      return scans.get(0).loadNextBatch();
    }
    List<CompletableFuture<Boolean>> others = new ArrayList<>();
    for (ArrowReader scan : scans.subList(1, scans.size())) {
      others.add(CompletableFuture.supplyAsync(() -> {
        try {
          return scan.loadNextBatch();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    }
    boolean more;
    try {
      more = scans.get(0).loadNextBatch();
    } finally {
      // Each part's read ends before any may be closed; its failure, if any, is reported below.
      others.forEach(other -> other.handle((value, failure) -> value).join());
    }
    for (CompletableFuture<Boolean> other : others) {
      boolean theirs;
      try {
        theirs = other.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof UncheckedIOException io) {
          throw io.getCause();
        }
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      if (theirs != more) {
        throw new IOException("the scanners of a file's columns ended at different batches");
      }
    }
    return more;
  }

  /** Dictionaries live in the scanner's reader; batches move over, their dictionaries are looked up there. */
  @Override
  public Dictionary lookup(long id) {
    return scans.get(0).lookup(id);
  }

  @Override
  public Set<Long> getDictionaryIds() {
    return scans.get(0).getDictionaryIds();
  }

  @Override
  public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
    return scans.get(0).getDictionaryVectors();
  }

  @Override
  public long bytesRead() {
    long bytes = 0;
    for (ArrowReader scan : scans) {
      bytes += scan.bytesRead();
    }
    return bytes;
  }

  @Override
  protected void closeReadSource() throws IOException {
    if (sourceClosed) {
      return; // closed by the C stream export already, then by the owner
    }
    sourceClosed = true;
    try {
      for (ArrowReader scan : scans) {
        scan.close();
      }
    } finally {
      scanners.forEach(ParquetReader::closeQuietly);
      closeQuietly(dataset);
      factory.close();
    }
  }

  /** How many scanners read the file's columns (tests). */
  int parts() {
    return scans.size();
  }

  /**
   * The scanners' schemas side by side: the file's columns in order, with the first's schema metadata,
   * and the footer's UUID and JSON columns as {@code arrow.uuid} and {@code arrow.json}.
   */
  @Override
  protected Schema readSchema() throws IOException {
    Schema first = scans.get(0).getVectorSchemaRoot().getSchema();
    List<Field> fields = new ArrayList<>();
    for (ArrowReader scan : scans) {
      fields.addAll(scan.getVectorSchemaRoot().getSchema().getFields());
    }
    return new Schema(ParquetExtensionTypes.mark(fields, extensions), first.getCustomMetadata());
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing native handles; nothing more to do.
      }
    }
  }
}
