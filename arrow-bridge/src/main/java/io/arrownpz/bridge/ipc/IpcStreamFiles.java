package io.arrownpz.bridge.ipc;

import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedFileException;
import io.arrownpz.arrow.FixedShapeTensorType;
import io.arrownpz.bridge.internal.Tables;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/** Arrow IPC streams ({@code .arrows}): batches one after another, no footer. */
public final class IpcStreamFiles {
  static {
    FixedShapeTensorType.register();
  }

  private IpcStreamFiles() {}

  public static void write(VectorSchemaRoot root, Path path, IpcCompression compression) throws IOException {
    write(root, path, IpcOptions.of(compression));
  }

  /** Writes a table as one record batch, compressed as {@code options} say. */
  public static void write(VectorSchemaRoot root, Path path, IpcOptions options) throws IOException {
    IpcOutput.write(root, path, writers(options));
  }

  /** Writes every batch a reader gives, one after another. */
  public static void write(ArrowReader reader, Path path, IpcCompression compression) throws IOException {
    write(reader, path, IpcOptions.of(compression));
  }

  /** Writes every batch a reader gives, compressed as {@code options} say. */
  public static void write(ArrowReader reader, Path path, IpcOptions options) throws IOException {
    IpcOutput.write(reader, path, writers(options));
  }

  private static IpcOutput.Writers writers(IpcOptions options) {
    return (root, dictionaries, out) -> new CompressingStreamWriter(root, dictionaries, out, options.compression().codec(),
        options.codecs());
  }

  /** Opens a reader and reads the stream's schema, so that a stream we cannot read is refused here. */
  public static ArrowReader openReader(Path path, BufferAllocator allocator) throws IOException {
    return openReader(path, allocator, io.arrownpz.bridge.compression.FastCompressionFactory.INSTANCE);
  }

  /** As {@link #openReader(Path, BufferAllocator)}, decompressing with {@code codecs}' codecs. */
  public static ArrowReader openReader(Path path, BufferAllocator allocator,
      org.apache.arrow.vector.compression.CompressionCodec.Factory codecs) throws IOException {
    DecompressingStreamReader reader;
    try {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
      reader = new DecompressingStreamReader(channel, path.toString(), allocator, codecs);
    } catch (NoSuchFileException e) {
      throw new BadFileException(path, null, "no such file");
    }
    try {
      reader.getVectorSchemaRoot();
      return reader;
    } catch (EndianAwareMessageReader.UnsupportedSchemaException e) {
      reader.close();
      throw new UnsupportedFileException(path, e.getMessage());
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw new BadFileException(path.toString(), null, "not a valid Arrow IPC stream: " + io.arrownpz.bridge.internal.Errors.oneLine(e), e);
    }
  }

  public static VectorSchemaRoot read(Path path, BufferAllocator allocator) throws IOException {
    return read(path, allocator, io.arrownpz.bridge.compression.FastCompressionFactory.INSTANCE);
  }

  /** As {@link #read(Path, BufferAllocator)}, decompressing with {@code codecs}' codecs. */
  public static VectorSchemaRoot read(Path path, BufferAllocator allocator,
      org.apache.arrow.vector.compression.CompressionCodec.Factory codecs) throws IOException {
    try (ArrowReader reader = openReader(path, allocator, codecs)) {
      return Tables.collect(reader, allocator);
    } catch (BadFileException e) {
      throw e;
    } catch (io.arrownpz.UnsupportedDataException e) {
      throw new io.arrownpz.UnsupportedFileException(path.toString(), e.getMessage(), e); // valid, not ours to hold
    } catch (IOException | RuntimeException e) {
      throw new BadFileException(path.toString(), null, "not a valid Arrow IPC stream: " + io.arrownpz.bridge.internal.Errors.oneLine(e), e);
    }
  }
}
