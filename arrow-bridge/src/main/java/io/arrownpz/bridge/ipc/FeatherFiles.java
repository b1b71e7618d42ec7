package io.arrownpz.bridge.ipc;

import io.arrownpz.BadFileException;
import io.arrownpz.arrow.FixedShapeTensorType;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Feather v2 files (the Arrow IPC file format), read through {@link MappedFeatherReader}: an
 * uncompressed file's vectors point into the file; compressed ones (LZ4_FRAME, ZSTD: pyarrow compresses
 * with LZ4 by default) are decompressed with our codecs. Writes compress each batch's buffers together.
 */
public final class FeatherFiles {
  static {
    FixedShapeTensorType.register();
  }

  private FeatherFiles() {}

  /** Writes a table as one record batch, through a temporary file renamed into place. */
  public static void write(VectorSchemaRoot root, Path path, IpcCompression compression) throws IOException {
    write(root, path, IpcOptions.of(compression));
  }

  /** Writes a table as one record batch, compressed as {@code options} say. */
  public static void write(VectorSchemaRoot root, Path path, IpcOptions options) throws IOException {
    IpcOutput.write(root, path, writers(options));
  }

  public static void write(VectorSchemaRoot root, Path path) throws IOException {
    write(root, path, IpcCompression.NONE);
  }

  /** Writes every batch a reader gives, one after another, without holding more than one. */
  public static void write(ArrowReader reader, Path path, IpcCompression compression) throws IOException {
    write(reader, path, IpcOptions.of(compression));
  }

  /** Writes every batch a reader gives, compressed as {@code options} say. */
  public static void write(ArrowReader reader, Path path, IpcOptions options) throws IOException {
    IpcOutput.write(reader, path, writers(options));
  }

  private static IpcOutput.Writers writers(IpcOptions options) {
    return (root, dictionaries, out) -> new CompressingFileWriter(root, dictionaries, out, options.compression().codec(),
        options.codecs());
  }

  /**
   * Opens a reader over the file's record batches, memory-mapped: an uncompressed file's vectors are
   * views of the file; a compressed batch is read into memory and its buffers decompressed in parallel.
   */
  public static ArrowReader openReader(Path path, BufferAllocator allocator) throws IOException {
    return MappedFeatherReader.open(path, allocator);
  }

  /** As {@link #openReader(Path, BufferAllocator)}, decompressing with {@code codecs}' codecs. */
  public static ArrowReader openReader(Path path, BufferAllocator allocator,
      org.apache.arrow.vector.compression.CompressionCodec.Factory codecs) throws IOException {
    return MappedFeatherReader.open(path, allocator, codecs);
  }

  /** Reads a whole file into one table (record batches concatenated). The caller closes the result. */
  public static VectorSchemaRoot read(Path path, BufferAllocator allocator) throws IOException {
    return read(path, allocator, io.arrownpz.bridge.compression.FastCompressionFactory.INSTANCE);
  }

  /** As {@link #read(Path, BufferAllocator)}, decompressing with {@code codecs}' codecs. */
  public static VectorSchemaRoot read(Path path, BufferAllocator allocator,
      org.apache.arrow.vector.compression.CompressionCodec.Factory codecs) throws IOException {
    try {
      return MappedFeatherReader.readWhole(path, allocator, codecs);
    } catch (BadFileException e) {
      throw e;
    } catch (io.arrownpz.UnsupportedDataException e) {
      throw new io.arrownpz.UnsupportedFileException(path.toString(), e.getMessage(), e); // valid, not ours to hold
    } catch (IOException | RuntimeException e) {
      // Arrow's readers report malformed files with assorted runtime exceptions.
      throw new BadFileException(path.toString(), null, "not a valid Feather/Arrow IPC file: " + io.arrownpz.bridge.internal.Errors.oneLine(e), e);
    }
  }
}
