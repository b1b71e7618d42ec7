package io.arrownpz.bridge;

import io.arrownpz.BadFileException;
import io.arrownpz.arrow.FixedShapeTensorType;
import io.arrownpz.arrow.Vectors;
import io.arrownpz.io.AtomicFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.InvalidArrowFileException;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/** Feather v2 files (the Arrow IPC file format), read and written with Arrow Java's own IPC classes. */
public final class FeatherFiles {
  static {
    FixedShapeTensorType.register();
  }

  private FeatherFiles() {}

  /** Writes a table as one record batch, through a temporary file renamed into place. */
  public static void write(VectorSchemaRoot root, Path path) throws IOException {
    try (AtomicFile out = AtomicFile.create(path)) {
      try (ArrowFileWriter writer = new ArrowFileWriter(root, null, out.channel())) {
        writer.start();
        writer.writeBatch();
        writer.end();
      }
      out.commit();
    }
  }

  /**
   * Reads a whole file into one table (record batches concatenated). The caller closes the result.
   * Compressed files (LZ4_FRAME, ZSTD: pyarrow compresses with LZ4 by default) are read with
   * arrow-compression's codecs.
   */
  public static VectorSchemaRoot read(Path path, BufferAllocator allocator) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new BadFileException(path, null, "no such file");
    }
    try (channel; ArrowFileReader reader = new ArrowFileReader(channel, allocator, CommonsCompressionFactory.INSTANCE)) {
      VectorSchemaRoot batch = reader.getVectorSchemaRoot();
      VectorSchemaRoot result = null;
      try {
        while (reader.loadNextBatch()) {
          if (result == null) {
            result = take(batch, allocator);
          } else {
            VectorSchemaRootAppender.append(result, batch);
          }
        }
        return result != null ? result : VectorSchemaRoot.create(batch.getSchema(), allocator);
      } catch (IOException | RuntimeException e) {
        if (result != null) {
          result.close();
        }
        throw e;
      }
    } catch (InvalidArrowFileException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new BadFileException(path.toString(), null, "not a valid Feather/Arrow IPC file: " + e.getMessage(), e);
    }
  }

  /** Moves a loaded batch's buffers into a table of our own, so the reader can be closed. */
  private static VectorSchemaRoot take(VectorSchemaRoot batch, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>();
    for (FieldVector v : batch.getFieldVectors()) {
      vectors.add(Vectors.transfer(v, allocator));
    }
    // The schema itself, not just its fields: its metadata carries the pandas and frame descriptions.
    return new VectorSchemaRoot(batch.getSchema(), vectors, batch.getRowCount());
  }
}
