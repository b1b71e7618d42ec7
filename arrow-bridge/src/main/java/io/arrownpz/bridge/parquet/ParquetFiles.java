package io.arrownpz.bridge.parquet;

import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.UnsupportedFileException;
import io.arrownpz.bridge.internal.Errors;
import io.arrownpz.internal.io.AtomicFile;
import io.arrownpz.internal.io.Trees;
import io.arrownpz.bridge.internal.Tables;
import io.arrownpz.bridge.TableReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Parquet files through Arrow C++'s dataset layer (arrow-dataset's bundled JNI library): list and nested
 * columns; schema and field metadata (pandas, frames, NumPy dtypes) kept, by adding to the footer what
 * the dataset writer leaves out ({@link ParquetFooter}). Arrow Java 18.3's dataset writer takes no
 * writer properties and writes uncompressed pages; they are compressed afterwards (Snappy by default, as
 * pyarrow does; ZSTD; or none). Reading handles every codec Arrow C++ does.
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  /**
   * Writes every batch a reader gives into one Parquet file. The dataset writer writes a directory of
   * files; it writes into a temporary directory beside the target, and its one file is moved into place.
   */
  public static void write(ArrowReader reader, Path path, BufferAllocator allocator) throws IOException {
    write(reader, path, allocator, ParquetCompression.SNAPPY);
  }

  /**
   * Writes every batch a reader gives into one Parquet file, its pages compressed as {@code compression}
   * says. Arrow C++ encodes the values into an uncompressed file in the work directory; its pages are
   * then compressed into the file that is moved into place ({@link PageCompressor}).
   */
  public static void write(ArrowReader reader, Path path, BufferAllocator allocator, ParquetCompression compression)
      throws IOException {
    // The schema as the source states it (dictionary columns with their value types), for the footer:
    // Arrow C++ reads string dictionaries back as dictionaries when the footer says so.
    Schema stated = statedSchema(reader);
    String unsupported = ParquetTypes.unsupported(stated);
    if (unsupported != null) {
      throw new ParquetWriteException("cannot be written as Parquet: " + unsupported);
    }
    // Loaded (and its 76 MB copy in the temporary folder removed) before the partial output exists: a
    // signal that stops the write finds no copy that is not yet mapped, which it could not tell was ours.
    io.arrownpz.bridge.internal.ArrowNative.loadDataset();
    Path target = path.toAbsolutePath();
    Path temporary = AtomicFile.newWorkDirectory(AtomicFile.workDirectory(target),
        target.getFileName().toString());
    ReleaseWaiter released = new ReleaseWaiter();
    BufferAllocator lent = allocator.newChildAllocator("parquet-export", released, 0, Long.MAX_VALUE);
    try {
      Path out = temporary.resolve("out");
      Schema exported;
      ExportReader export = new ExportReader(reader, allocator, lent, released);
      try (export) {
        exported = export.getVectorSchemaRoot().getSchema();
        AttachedExport.writeDataset(lent, export, FileFormat.PARQUET, out.toUri().toString());
      } catch (RuntimeException e) {
        // The input failed (a bad batch, say), not the writer: said as the input's reader said it.
        export.rethrowSourceFailure();
        if (isOutputFailure(e)) {
          throw outputFailure(target, temporary, e);
        }
        // The native writer's refusals (for example a fixed-size list with null entries) come as runtime
        // exceptions carrying C++ text; the data is valid, Parquet through Arrow C++ cannot take it.
        throw new ParquetWriteException("cannot be written as Parquet: " + Errors.oneLine(e), e);
      }
      awaitReleased(lent, released);
      boolean empty = !Files.isDirectory(out) || Trees.isEmptyDirectory(out);
      if (empty) {
        // Arrow's dataset writer makes no file for a table of no rows: write one row, then drop its row
        // group from the footer (readers go by the footer), which leaves a valid file of no rows.
        try {
          writeOneRow(exported, out, lent);
        } catch (RuntimeException e) {
          if (isOutputFailure(e)) {
            throw outputFailure(target, temporary, e);
          }
          throw e;
        }
        awaitReleased(lent, released);
      }
      List<Path> files;
      try (Stream<Path> listing = Files.list(out)) {
        files = listing.toList();
      }
      if (files.size() != 1) {
        throw new IOException("the Parquet writer made " + files.size() + " files instead of one");
      }
      if (empty) {
        ParquetFooter.dropRowGroups(files.get(0));
      }
      Path written = files.get(0);
      ParquetFooter.setKeyValueMetadata(written, footerMetadata(stated));
      if (compression != ParquetCompression.NONE) {
        Path compressed = temporary.resolve("compressed.parquet");
        try {
          PageCompressor.compress(written, compressed, compression, allocator);
        } catch (IOException e) {
          FileSystemException failure = new FileSystemException(target.toString(), null,
              "cannot be written: " + Errors.oneLine(e));
          failure.initCause(e);
          throw failure;
        }
        Files.delete(written); // the work directory holds one copy at a time once this one is read
        written = compressed;
      }
      AtomicFile.install(written, path);
    } finally {
      try {
        if (lent.getAllocatedMemory() == 0) {
          lent.close();
        }
      } finally {
        Trees.delete(temporary);
      }
    }
  }

  /**
   * Whether the native writer failed on its output rather than on the data: Arrow C++ reports a full disk
   * or a vanished directory as I/O error text ("Error writing bytes to file"), without the errno.
   */
  private static boolean isOutputFailure(RuntimeException e) {
    String message = Errors.oneLine(e);
    return message.startsWith("IOError") || message.matches("(Error|Failed) (writing|opening|creating|closing|flushing).*");
  }

  /**
   * The native failure as the other writers report theirs: the output named, and the reason the system
   * would give. The file store is asked while the partial file still fills it, so a full disk says so.
   */
  private static FileSystemException outputFailure(Path target, Path workDirectory, RuntimeException e) {
    String reason = Errors.oneLine(e);
    try {
      if (Files.getFileStore(workDirectory).getUsableSpace() < (1 << 20)) {
        reason = "No space left on device";
      }
    } catch (IOException | RuntimeException unknown) {
      // keep the native text
    }
    FileSystemException failure = new FileSystemException(target.toString(), null, "cannot be written: " + reason);
    failure.initCause(e);
    return failure;
  }

  /** One row of the schema: nulls where a field may be null, zeros (empty lists and strings) elsewhere. */
  private static void writeOneRow(Schema schema, Path out, BufferAllocator allocator) throws IOException {
    try (VectorSchemaRoot one = VectorSchemaRoot.create(schema, allocator)) {
      one.allocateNew();
      for (org.apache.arrow.vector.FieldVector v : one.getFieldVectors()) {
        v.setValueCount(1);
        markPresent(v);
      }
      one.setRowCount(1);
      try (TableReader rows = new TableReader(one, allocator)) {
        AttachedExport.writeDataset(allocator, rows, FileFormat.PARQUET, out.toUri().toString());
      }
    }
  }

  private static void markPresent(org.apache.arrow.vector.ValueVector v) {
    if (!v.getField().isNullable() && v.getValueCount() > 0) {
      org.apache.arrow.vector.BitVectorHelper.setBit(v.getValidityBuffer(), 0);
    }
    for (org.apache.arrow.vector.FieldVector child : ((org.apache.arrow.vector.FieldVector) v).getChildrenFromFields()) {
      markPresent(child);
    }
  }

  /** A valid table that Parquet, as Arrow C++ writes it, cannot hold; the message says which column. */
  public static final class ParquetWriteException extends IOException {
    public ParquetWriteException(String message) {
      super(message);
    }

    public ParquetWriteException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The reader's schema in the form files state it: dictionary-encoded fields with their value types. */
  private static Schema statedSchema(ArrowReader reader) throws IOException {
    Schema memory = reader.getVectorSchemaRoot().getSchema();
    java.util.Set<Long> used = new java.util.HashSet<>();
    List<org.apache.arrow.vector.types.pojo.Field> fields = new java.util.ArrayList<>();
    for (org.apache.arrow.vector.types.pojo.Field f : memory.getFields()) {
      fields.add(org.apache.arrow.vector.util.DictionaryUtility.toMessageFormat(f, reader, used));
    }
    return new Schema(fields, memory.getCustomMetadata());
  }

  /** Waits, a bounded time, for the native writer to give back the batches it was lent. */
  private static void awaitReleased(BufferAllocator lent, ReleaseWaiter released) throws IOException {
    if (!released.awaitAtMost(lent, 0, 30_000_000_000L)) {
      throw new IOException("the native Parquet writer still holds " + lent.getAllocatedMemory()
          + " bytes 30 s after it last gave any back");
    }
  }

  public static void write(VectorSchemaRoot table, Path path, BufferAllocator allocator) throws IOException {
    write(table, path, allocator, ParquetCompression.SNAPPY);
  }

  public static void write(VectorSchemaRoot table, Path path, BufferAllocator allocator,
      ParquetCompression compression) throws IOException {
    try (TableReader reader = new TableReader(table, allocator)) {
      write(reader, path, allocator, compression);
    }
  }

  /**
   * What pyarrow puts in a Parquet footer: the schema's own keys (pandas, frames) and {@code ARROW:schema},
   * the IPC-serialized schema in base64, which carries field metadata and extension types back.
   */
  static Map<String, String> footerMetadata(Schema schema) throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (schema.getCustomMetadata() != null) {
      metadata.putAll(schema.getCustomMetadata());
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    MessageSerializer.serialize(new WriteChannel(Channels.newChannel(bytes)), schema);
    metadata.put("ARROW:schema", Base64.getEncoder().encodeToString(bytes.toByteArray()));
    return metadata;
  }

  /** Batches of the file, as Arrow C++ scans them. The caller closes the reader. */
  public static ArrowReader openReader(Path path, BufferAllocator allocator) throws IOException {
    return openReader(path, allocator, false);
  }

  private static ArrowReader openReader(Path path, BufferAllocator allocator, boolean whole) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new BadFileException(path, null, "no such file");
    }
    try {
      return whole ? ParquetReader.openWhole(path, allocator) : ParquetReader.open(path, allocator);
    } catch (RuntimeException e) {
      throw unreadable(path, e);
    }
  }

  /** The whole file as one table (a wide file read by two scanners at once). */
  public static VectorSchemaRoot read(Path path, BufferAllocator allocator) throws IOException {
    try (ArrowReader reader = openReader(path, allocator, true)) {
      return Tables.collect(reader, allocator);
    } catch (UnsupportedDataException e) {
      throw new UnsupportedFileException(path.toString(), e.getMessage(), e); // valid, not ours to hold
    } catch (RuntimeException e) {
      throw unreadable(path, e);
    }
  }

  /**
   * What to say of a file Arrow C++ could not read: the column it cannot hold, when the schema the writer
   * stored says which (a valid file, not ours to hold), else what Arrow C++ said.
   */
  private static IOException unreadable(Path path, RuntimeException e) {
    String column = StoredArrowSchema.unsupportedColumn(path);
    if (column != null) {
      return new UnsupportedFileException(path.toString(), column, e);
    }
    return new BadFileException(path.toString(), null, "not a readable Parquet file: " + Errors.oneLine(e), e);
  }

}
