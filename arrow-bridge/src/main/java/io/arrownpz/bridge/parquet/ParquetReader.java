package io.arrownpz.bridge.parquet;

import io.arrownpz.bridge.internal.KeptByBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.dictionary.Dictionary;
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
 * An {@link ArrowReader} over a Parquet file that also owns the dataset factory, dataset and scanner
 * behind it, so that closing the reader releases everything. Batches move from the scanner's root into
 * this reader's without copying.
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

  private final FileSystemDatasetFactory factory;
  private final Dataset dataset;
  private final Scanner scanner;
  private final ArrowReader scan;
  private boolean sourceClosed;

  private ParquetReader(BufferAllocator allocator, FileSystemDatasetFactory factory, Dataset dataset,
      Scanner scanner, ArrowReader scan) {
    super(allocator);
    this.factory = factory;
    this.dataset = dataset;
    this.scanner = scanner;
    this.scan = scan;
  }

  static ParquetReader open(Path path, BufferAllocator allocator) {
    FileSystemDatasetFactory factory = new FileSystemDatasetFactory(allocator, NativeMemoryPool.getDefault(),
        FileFormat.PARQUET, path.toAbsolutePath().toUri().toString());
    Dataset dataset = null;
    Scanner scanner = null;
    try {
      dataset = finish(factory, path);
      scanner = dataset.newScan(new ScanOptions(BATCH_ROWS));
      return new ParquetReader(allocator, factory, dataset, scanner, scanner.scanBatches());
    } catch (RuntimeException e) {
      closeQuietly(scanner);
      closeQuietly(dataset);
      factory.close();
      throw e;
    }
  }

  /**
   * Dataset schemas by the footer they were inspected from. Arrow Java's {@code finish()} inspects the file
   * (Arrow C++ parses its footer and works the schema out) and hands the schema back to C++ with the
   * dataset; the schema follows from the footer's bytes alone, so for a footer seen before the schema
   * inspected then is handed over instead. At 10,000 columns the inspection was 44 of the 330 ms a read
   * took; reading the footer to compare costs under a millisecond.
   */
  static final KeptByBytes<Schema> SCHEMAS = new KeptByBytes<>(16, 32L << 20);

  private static Dataset finish(FileSystemDatasetFactory factory, Path path) {
    ByteBuffer footer = footerOrNull(path);
    Schema known = footer == null ? null : SCHEMAS.get(footer);
    if (known != null) {
      return factory.finish(known);
    }
    Schema inspected = factory.inspect();
    Dataset dataset = factory.finish(inspected);
    if (footer != null) {
      SCHEMAS.keep(footer, inspected);
    }
    return dataset;
  }

  /** The footer's bytes, or null where they cannot be read (Arrow C++ then says what is wrong with the file). */
  private static ByteBuffer footerOrNull(Path path) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return ByteBuffer.wrap(ParquetFooter.read(channel, path));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    if (!scan.loadNextBatch()) {
      return false;
    }
    prepareLoadNextBatch();
    try (ArrowRecordBatch batch = new VectorUnloader(scan.getVectorSchemaRoot()).getRecordBatch()) {
      loadRecordBatch(batch);
    }
    return true;
  }

  /** Dictionaries live in the scanner's reader; batches move over, their dictionaries are looked up there. */
  @Override
  public Dictionary lookup(long id) {
    return scan.lookup(id);
  }

  @Override
  public Set<Long> getDictionaryIds() {
    return scan.getDictionaryIds();
  }

  @Override
  public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
    return scan.getDictionaryVectors();
  }

  @Override
  public long bytesRead() {
    return scan.bytesRead();
  }

  @Override
  protected void closeReadSource() throws IOException {
    if (sourceClosed) {
      return; // closed by the C stream export already, then by the owner
    }
    sourceClosed = true;
    try {
      scan.close();
    } finally {
      closeQuietly(scanner);
      closeQuietly(dataset);
      factory.close();
    }
  }

  @Override
  protected Schema readSchema() throws IOException {
    return scan.getVectorSchemaRoot().getSchema();
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
