package io.arrownpz.bridge.ipc;

import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedFileException;
import io.arrownpz.arrow.FixedShapeTensorType;
import io.arrownpz.bridge.Tables;
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
    IpcOutput.write(root, path, writers(compression));
  }

  /** Writes every batch a reader gives, one after another. */
  public static void write(ArrowReader reader, Path path, IpcCompression compression) throws IOException {
    IpcOutput.write(reader, path, writers(compression));
  }

  private static IpcOutput.Writers writers(IpcCompression compression) {
    return (root, dictionaries, out) -> new CompressingStreamWriter(root, dictionaries, out, compression.codec());
  }

  /** Opens a reader and reads the stream's schema, so that a stream we cannot read is refused here. */
  public static ArrowReader openReader(Path path, BufferAllocator allocator) throws IOException {
    DecompressingStreamReader reader;
    try {
      reader = new DecompressingStreamReader(FileChannel.open(path, StandardOpenOption.READ), allocator);
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
      throw new BadFileException(path.toString(), null, "not a valid Arrow IPC stream: " + e.getMessage(), e);
    }
  }

  public static VectorSchemaRoot read(Path path, BufferAllocator allocator) throws IOException {
    try (ArrowReader reader = openReader(path, allocator)) {
      return Tables.collect(reader, allocator);
    } catch (BadFileException e) {
      throw e;
    } catch (io.arrownpz.UnsupportedDataException e) {
      throw new io.arrownpz.UnsupportedFileException(path.toString(), e.getMessage(), e); // valid, not ours to hold
    } catch (IOException | RuntimeException e) {
      throw new BadFileException(path.toString(), null, "not a valid Arrow IPC stream: " + e.getMessage(), e);
    }
  }
}
