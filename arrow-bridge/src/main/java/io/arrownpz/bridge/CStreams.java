package io.arrownpz.bridge;

import io.arrownpz.NumpyTables;
import io.arrownpz.bridge.internal.ArrowNative;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Tables and files handed to in-process engines (DuckDB, DataFusion, Polars through JNI, anything that
 * takes an {@code ArrowArrayStream*}) through the Arrow C stream interface, without converting them: the
 * consumer reads the very buffers we hold, so the columns of a mapped {@code .npy}, a STORED NPZ member or
 * an uncompressed Feather file are read straight from the file.
 *
 * <p>Ownership: the returned stream struct is the caller's to {@code close()} (it frees the struct). The
 * data behind it belongs to the consumer once exported: the reader (and, for a file, the table) is closed
 * when the consumer calls the stream's release callback, as the C interface says. Keep the allocator open
 * until then.
 *
 * <pre>{@code
 * try (BufferAllocator allocator = new RootAllocator();
 *      Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
 *      ArrowArrayStream frame = CStreams.export(Path.of("frame.npz"), FileFormat.NPZ, allocator)) {
 *   duckdb.unwrap(DuckDBConnection.class).registerArrowStream("frame", frame);
 *   try (ResultSet r = duckdb.createStatement().executeQuery("SELECT count(*), avg(price) FROM frame")) { ... }
 * }
 * }</pre>
 */
public final class CStreams {
  private CStreams() {}

  /** Exports a reader's batches; the reader is closed when the consumer releases the stream. */
  public static ArrowArrayStream export(ArrowReader reader, BufferAllocator allocator) {
    ArrowNative.loadCData();
    ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
    try {
      Data.exportArrayStream(allocator, reader, stream);
      return stream;
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  /**
   * Exports a table as one batch, its buffers shared. The table stays the caller's: keep it open until the
   * consumer is done with the stream.
   */
  public static ArrowArrayStream export(VectorSchemaRoot table, BufferAllocator allocator) {
    return export(new TableReader(table, allocator), allocator);
  }

  /**
   * Exports a file in any format the bridge reads: Feather, IPC streams and Parquet batch by batch; NumPy
   * files ({@code .npy}, NPZ of any layout, NPY directories) as the table {@link NumpyTables} reads, mapped
   * where the layout allows. Everything opened here is closed when the consumer releases the stream.
   */
  public static ArrowArrayStream export(Path file, FileFormat format, BufferAllocator allocator) throws IOException {
    Converter converter = new Converter(allocator);
    ArrowReader reader = format.isBatched() ? converter.openReader(file, format)
        : new TableReader(converter.read(file, format, ConvertOptions.DEFAULTS), allocator).owning();
    try {
      return export(reader, allocator);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }
}
