package io.arrownpz.bridge.ipc;

import io.arrownpz.BadFileException;
import io.arrownpz.arrow.FixedShapeTensorType;
import io.arrownpz.bridge.Tables;
import io.arrownpz.io.AtomicFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;

/** Arrow IPC streams ({@code .arrows}): batches one after another, no footer. */
public final class IpcStreamFiles {
  static {
    FixedShapeTensorType.register();
  }

  private IpcStreamFiles() {}

  public static void write(VectorSchemaRoot root, Path path, IpcCompression compression) throws IOException {
    try (AtomicFile out = AtomicFile.create(path)) {
      try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out.channel(), IpcOption.DEFAULT,
          Codecs.INSTANCE, compression.codec())) {
        writer.start();
        writer.writeBatch();
        writer.end();
      }
      out.commit();
    }
  }

  /** Writes every batch a reader gives, one after another. */
  public static void write(ArrowReader reader, Path path, IpcCompression compression) throws IOException {
    try (AtomicFile out = AtomicFile.create(path)) {
      try (ArrowStreamWriter writer = new ArrowStreamWriter(reader.getVectorSchemaRoot(), reader, out.channel(),
          IpcOption.DEFAULT, Codecs.INSTANCE, compression.codec())) {
        writer.start();
        while (reader.loadNextBatch()) {
          writer.writeBatch();
        }
        writer.end();
      }
      out.commit();
    }
  }

  public static ArrowReader openReader(Path path, BufferAllocator allocator) throws IOException {
    try {
      return new ArrowStreamReader(FileChannel.open(path, StandardOpenOption.READ), allocator, Codecs.INSTANCE);
    } catch (NoSuchFileException e) {
      throw new BadFileException(path, null, "no such file");
    }
  }

  public static VectorSchemaRoot read(Path path, BufferAllocator allocator) throws IOException {
    try (ArrowReader reader = openReader(path, allocator)) {
      return Tables.collect(reader, allocator);
    } catch (BadFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new BadFileException(path.toString(), null, "not a valid Arrow IPC stream: " + e.getMessage(), e);
    }
  }
}
