package io.arrownpz.bridge;

import io.arrownpz.bridge.internal.Tables;
import io.arrownpz.bridge.internal.Errors;
import io.arrownpz.BadFileException;
import io.arrownpz.NumpyFormat;
import io.arrownpz.NumpyTables;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.UnsupportedFileException;
import io.arrownpz.internal.arrow.NumpyTargets;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcStreamFiles;
import io.arrownpz.bridge.internal.ArrowNative;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.FileInfo;
import io.arrownpz.bridge.ipc.MappedFeatherReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Converts between files through an Arrow table. An NPY array becomes a one-column table named after the
 * file's stem (a tensor column for rank 2 and more); a plain NPZ a column per member; a packed NPZ list
 * columns; a StaticFrame frame (NPZ or NPY directory) its index fields then its columns. Going back, a
 * table that came from a frame writes that frame, a table with list columns the packed layout, any other
 * the plain one, unless a layout is asked for.
 *
 * <p>Threads: one converter may serve many threads at once (it holds only its allocator, and Arrow's
 * allocators are thread-safe); each call opens and closes what it uses.
 */
public final class Converter {
  private final BufferAllocator allocator;

  public Converter(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /**
   * {@code allocator}, once Parquet's optional dependency is known to be there: checked before the
   * Parquet classes load, whose linking would otherwise fail with a NoClassDefFoundError.
   */
  private static BufferAllocator requireParquet(BufferAllocator allocator) {
    ArrowNative.requireDataset();
    return allocator;
  }

  /** Reads any supported file as a table; NumPy files through {@link NumpyTables}. The caller closes it. */
  public VectorSchemaRoot read(Path input, FileFormat format, ConvertOptions options) throws IOException {
    return switch (format) {
      case NPY, NPZ, NPY_DIR -> NumpyTables.read(input, allocator, options.read().withFormat(numpyFormat(format)));
      case FEATHER -> FeatherFiles.read(input, allocator, options.ipc().codecs());
      case IPC_STREAM -> IpcStreamFiles.read(input, allocator, options.ipc().codecs());
      case PARQUET -> ParquetFiles.read(input, requireParquet(allocator));
    };
  }

  /** A batch reader over a Feather, IPC stream or Parquet file. The caller closes it. */
  public ArrowReader openReader(Path input, FileFormat format) throws IOException {
    return openReader(input, format, ConvertOptions.DEFAULTS);
  }

  /** A batch reader, decompressing with the codecs of {@code options}. The caller closes it. */
  public ArrowReader openReader(Path input, FileFormat format, ConvertOptions options) throws IOException {
    return switch (format) {
      case FEATHER -> FeatherFiles.openReader(input, allocator, options.ipc().codecs());
      case IPC_STREAM -> IpcStreamFiles.openReader(input, allocator, options.ipc().codecs());
      case PARQUET -> ParquetFiles.openReader(input, requireParquet(allocator));
      default -> throw new IllegalArgumentException(format.formatName() + " is not a batch format");
    };
  }

  /**
   * A batch reader over any format: Feather, IPC streams and Parquet batch by batch as stored; NumPy files
   * in batches of at most {@code batchRows} rows ({@link NumpyTables#openReader}: a frame's C-order blocks
   * transposed one batch at a time). The caller closes it.
   */
  public ArrowReader openReader(Path input, FileFormat format, ConvertOptions options, int batchRows)
      throws IOException {
    NumpyFormat numpy = numpyFormat(format);
    if (numpy == null) {
      return openReader(input, format, options);
    }
    return NumpyTables.openReader(input, allocator, options.read().withFormat(numpy), batchRows);
  }

  /**
   * A NumPy file's schema and rows without reading its values: a frame's C-order blocks are not
   * transposed ({@link NumpyTables#outline}). Other formats are not NumPy files and are refused.
   */
  public NumpyTables.Outline outline(Path input, FileFormat format, ConvertOptions options) throws IOException {
    NumpyFormat numpy = numpyFormat(format);
    if (numpy == null) {
      throw new IllegalArgumentException(format.formatName() + " is not a NumPy format");
    }
    return NumpyTables.outline(input, allocator, options.read().withFormat(numpy));
  }

  /**
   * What a file holds: NumPy files from their headers alone ({@link NumpyTables#describe}); Feather,
   * IPC streams and Parquet by their schema and a pass over their batches for the row count.
   */
  public FileInfo describe(Path input, FileFormat format) throws IOException {
    if (numpyFormat(format) != null) {
      return NumpyTables.describe(input);
    }
    try (ArrowReader reader = openReader(input, format)) {
      Boolean compressed = null;
      if (reader instanceof MappedFeatherReader mapped) {
        compressed = mapped.isCompressed();
      } else if (format == FileFormat.FEATHER) {
        compressed = true; // only compressed Feather files are left to Arrow's own reader
      }
      return ArrowFileInfo.read(reader, input.toString(), format.formatName(), Files.size(input), compressed);
    } catch (RuntimeException e) {
      throw new BadFileException(input.toString(), null, "cannot be read: " + Errors.oneLine(e), e);
    }
  }

  /** Writes a table in a format; NumPy formats through {@link NumpyTables}. */
  public void write(VectorSchemaRoot table, Path output, FileFormat format, ConvertOptions options) throws IOException {
    switch (format) {
      case NPY, NPZ, NPY_DIR -> NumpyTables.write(table, output, options.write().withFormat(numpyFormat(format)));
      case FEATHER -> FeatherFiles.write(table, output, options.ipc());
      case IPC_STREAM -> IpcStreamFiles.write(table, output, options.ipc());
      case PARQUET -> ParquetFiles.write(table, output, allocator, options.parquet());
    }
  }

  /**
   * Writes a table made from the file {@code source} (packed or unpacked from it, say): a table the
   * format cannot hold is refused as {@link #convert} refuses it, naming {@code source} and the format.
   */
  public void write(VectorSchemaRoot table, Path output, FileFormat format, ConvertOptions options, Path source)
      throws IOException {
    try {
      write(table, output, format, options);
    } catch (UnsupportedDataException e) {
      throw refusal(source, format, e);
    } catch (ParquetFiles.ParquetWriteException e) {
      throw new UnsupportedFileException(source.toString(), e.getMessage(), e);
    }
  }

  /** Valid data the target cannot hold: the refusal names the input, and the target format. */
  private static UnsupportedFileException refusal(Path input, FileFormat to, UnsupportedDataException e) {
    UnsupportedFileException refusal = new UnsupportedFileException(input.toString(), "cannot be written as "
        + to.formatName() + ": " + e.getMessage(), e);
    refusal.withRemedy(e.remedy());
    return refusal;
  }

  /** The core's name for a NumPy format, or null for the others. */
  static NumpyFormat numpyFormat(FileFormat format) {
    return switch (format) {
      case NPY -> NumpyFormat.NPY;
      case NPZ -> NumpyFormat.NPZ;
      case NPY_DIR -> NumpyFormat.NPY_DIR;
      default -> null;
    };
  }

  /**
   * Converts a file. Between batch formats (Feather, IPC stream, Parquet) batches go across one at a
   * time, so a large file is never held whole; otherwise through one table, whose first batch's buffers
   * are moved rather than copied.
   */
  public void convert(Path input, FileFormat from, Path output, FileFormat to, ConvertOptions options)
      throws IOException {
    try {
      if (from.isBatched()) {
        try (ArrowReader reader = openReader(input, from, options)) {
          if (to.isBatched() && reader instanceof MappedFeatherReader mapped) {
            mapped.readOnce(); // each batch is written out before the next is read
          }
          write(reader, output, to, options);
        }
        return;
      }
      try (VectorSchemaRoot table = read(input, from, options)) {
        write(table, output, to, options);
      }
    } catch (BadFileException e) {
      throw e;
    } catch (UnsupportedDataException e) {
      throw refusal(input, to, e);
    } catch (ParquetFiles.ParquetWriteException e) {
      throw new UnsupportedFileException(input.toString(), e.getMessage(), e);
    } catch (java.nio.file.FileSystemException e) {
      throw e; // names its file already
    } catch (IOException e) {
      // Not the input's fault (a full disk, a failing device): name the output being written.
      throw new IOException(output + ": cannot be written: " + Errors.oneLine(e), e);
    } catch (RuntimeException e) {
      // Arrow's readers report malformed input with assorted runtime exceptions; name the file.
      throw new BadFileException(input.toString(), null, "cannot be converted to " + to.formatName() + ": "
          + Errors.oneLine(e), e);
    }
  }

  /**
   * Writes every batch {@code batches} gives (a file's, or a stream's received over the network) in a
   * format: batch formats one batch at a time, so the input is never held whole; NumPy formats through one
   * table, refused as {@link #convert} refuses them (a dictionary column, say, before it is decoded away).
   * The reader's dictionaries are looked up batch by batch: they may change between batches.
   */
  public void write(ArrowReader batches, Path output, FileFormat to, ConvertOptions options) throws IOException {
    switch (to) {
      case FEATHER -> FeatherFiles.write(checked(batches), output, options.ipc());
      case IPC_STREAM -> IpcStreamFiles.write(checked(batches), output, options.ipc());
      case PARQUET -> ParquetFiles.write(checked(batches), output, allocator, options.parquet());
      default -> {
        // Checked on the batches' own schema, before dictionaries are decoded away.
        NumpyTargets.check(mustFitNumpy(batches.getVectorSchemaRoot().getSchema(), to, options.write().column()),
            options.write().nearestDtype());
        try (VectorSchemaRoot table = Tables.collect(batches, allocator)) {
          write(table, output, to, options);
        }
      }
    }
  }

  /**
   * {@code batches}, each checked before a writer sees it. The view is not closed here: closing it would
   * close {@code batches}, which its caller owns.
   */
  private ArrowReader checked(ArrowReader batches) {
    return io.arrownpz.bridge.internal.CheckingReader.of(batches, allocator);
  }

  /**
   * The columns a NumPy output holds: an {@code .npy} only the one chosen (or the only one), so the others
   * may be of any type; when the choice is missing or unknown, none here (the writer says what is wrong).
   */
  private static Schema mustFitNumpy(Schema schema, FileFormat to, String column) {
    // What a file says an earlier read decoded is not this conversion's doing: its columns are plain now.
    Map<String, String> metadata = schema.getCustomMetadata();
    if (metadata != null && metadata.containsKey(io.arrownpz.arrow.NumpyMetadata.DECODED_DICTIONARIES)) {
      schema = new Schema(schema.getFields(),
          io.arrownpz.arrow.NumpyMetadata.withDecodedDictionaries(metadata, List.of()));
    }
    if (to != FileFormat.NPY) {
      return schema;
    }
    List<Field> fields = schema.getFields();
    if (column == null) {
      return fields.size() == 1 ? schema : new Schema(List.of());
    }
    return new Schema(fields.stream().filter(f -> f.getName().equals(column)).toList());
  }

  /** A file name without its extension: the column name an NPY file's array gets. */
  public static String stem(Path path) {
    return NumpyTables.columnName(path);
  }
}
