package io.arrownpz.bridge;

import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.UnsupportedFileException;
import io.arrownpz.arrow.NpyReadOptions;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.arrow.NpyVectorWriter;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcStreamFiles;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameWriter;
import io.arrownpz.frame.NpyDirectorySource;
import io.arrownpz.frame.NpzFrameSource;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.npz.NpzLayout;
import io.arrownpz.npz.PackedNpz;
import io.arrownpz.npz.PlainNpz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Converts between files through an Arrow table. An NPY array becomes a one-column table named after the
 * file's stem (a tensor column for rank 2 and more); a plain NPZ a column per member; a packed NPZ list
 * columns; a StaticFrame frame (NPZ or NPY directory) its index fields then its columns. Going back, a
 * table that came from a frame writes that frame, a table with list columns the packed layout, any other
 * the plain one, unless a layout is asked for.
 */
public final class Converter {
  private final BufferAllocator allocator;

  public Converter(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /** Reads any supported file as a table. The caller closes it. */
  public VectorSchemaRoot read(Path input, FileFormat format, ConvertOptions options) throws IOException {
    return switch (format) {
      case NPY -> {
        try (NpyArray array = NpyFile.open(input)) {
          yield VectorSchemaRoot.of(new NpyVectorReader(allocator).read(array, stem(input)));
        }
      }
      case NPZ -> readNpz(input, options);
      case NPY_DIR -> {
        try (NpyDirectorySource source = new NpyDirectorySource(input)) {
          yield new FrameReader(allocator).read(source);
        }
      }
      case FEATHER -> FeatherFiles.read(input, allocator);
      case IPC_STREAM -> IpcStreamFiles.read(input, allocator);
      case PARQUET -> ParquetFiles.read(input, allocator);
    };
  }

  /** A batch reader over a Feather, IPC stream or Parquet file. The caller closes it. */
  public ArrowReader openReader(Path input, FileFormat format) throws IOException {
    return switch (format) {
      case FEATHER -> FeatherFiles.openReader(input, allocator);
      case IPC_STREAM -> IpcStreamFiles.openReader(input, allocator);
      case PARQUET -> ParquetFiles.openReader(input, allocator);
      default -> throw new IllegalArgumentException(format.formatName() + " is not a batch format");
    };
  }

  private VectorSchemaRoot readNpz(Path input, ConvertOptions options) throws IOException {
    try (NpzArchive npz = NpzArchive.open(input)) {
      if (options.member() != null) {
        try (NpyArray array = npz.array(options.member(), allocator)) {
          return VectorSchemaRoot.of(new NpyVectorReader(allocator).read(array, NpzArchive.key(options.member())));
        }
      }
      NpzLayout layout = npz.layout();
      return switch (layout) {
        case PLAIN -> PlainNpz.read(npz, allocator, NpyReadOptions.DEFAULTS);
        case PACKED -> PackedNpz.read(npz, allocator, NpyReadOptions.DEFAULTS);
        case FRAME -> new FrameReader(allocator).read(new NpzFrameSource(npz));
      };
    }
  }

  /** Writes a table in a format. */
  public void write(VectorSchemaRoot table, Path output, FileFormat format, ConvertOptions options) throws IOException {
    if (isNumpy(format)) {
      NumpyTargets.check(table.getSchema(), options.nearestDtype());
      if (options.frame().nullsToFloat() && format != FileFormat.NPY_DIR) {
        // Frames convert their own columns; plain NPZ and .npy get the same choice here.
        try (NullsAsFloat converted = NullsAsFloat.of(table)) {
          writeAs(converted.table(), output, format, options);
        }
        return;
      }
    }
    writeAs(table, output, format, options);
  }

  private void writeAs(VectorSchemaRoot table, Path output, FileFormat format, ConvertOptions options) throws IOException {
    switch (format) {
      case NPY -> NpyVectorWriter.of(pickColumn(table, options.column())).writeTo(output);
      case NPZ -> {
        switch (npzLayout(table, options)) {
          case FRAME -> FrameWriter.writeNpz(table, output, options.frame().withAlignment(options.npz().alignment()));
          case PACKED -> PackedNpz.write(table, output, options.npz());
          case PLAIN -> PlainNpz.write(table, output, options.npz());
        }
      }
      case NPY_DIR -> FrameWriter.writeNpyDirectory(table, output, options.frame());
      case FEATHER -> FeatherFiles.write(table, output, options.ipc());
      case IPC_STREAM -> IpcStreamFiles.write(table, output, options.ipc());
      case PARQUET -> ParquetFiles.write(table, output, allocator);
    }
  }

  /**
   * Converts a file. Between batch formats (Feather, IPC stream, Parquet) batches go across one at a
   * time, so a large file is never held whole; otherwise through one table, whose first batch's buffers
   * are moved rather than copied.
   */
  public void convert(Path input, FileFormat from, Path output, FileFormat to, ConvertOptions options)
      throws IOException {
    try {
      if (from.isBatched() && to.isBatched()) {
        try (ArrowReader reader = openReader(input, from)) {
          switch (to) {
            case FEATHER -> FeatherFiles.write(reader, output, options.ipc());
            case IPC_STREAM -> IpcStreamFiles.write(reader, output, options.ipc());
            default -> ParquetFiles.write(reader, output, allocator);
          }
        }
        return;
      }
      if (from.isBatched() && isNumpy(to)) {
        // Checked on the file's own schema, before dictionaries are decoded away.
        try (ArrowReader reader = openReader(input, from)) {
          NumpyTargets.check(reader.getVectorSchemaRoot().getSchema(), options.nearestDtype());
          try (VectorSchemaRoot table = Tables.collect(reader, allocator)) {
            write(table, output, to, options);
          }
        }
        return;
      }
      try (VectorSchemaRoot table = read(input, from, options)) {
        write(table, output, to, options);
      }
    } catch (BadFileException e) {
      throw e;
    } catch (UnsupportedDataException e) {
      // Valid data the target cannot hold: name the input, and the target format.
      throw new UnsupportedFileException(input.toString(), "cannot be written as " + to.formatName() + ": "
          + e.getMessage(), e);
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

  /** A table whose integer and boolean columns with nulls are float64 copies with NaN; the rest shared. */
  private record NullsAsFloat(VectorSchemaRoot table, List<FieldVector> owned) implements AutoCloseable {
    static NullsAsFloat of(VectorSchemaRoot table) {
      List<FieldVector> columns = new java.util.ArrayList<>();
      List<FieldVector> owned = new java.util.ArrayList<>();
      for (FieldVector v : table.getFieldVectors()) {
        FieldVector f = io.arrownpz.arrow.NullsToFloat.of(v);
        if (f != null) {
          owned.add(f);
        }
        columns.add(f != null ? f : v);
      }
      return new NullsAsFloat(new VectorSchemaRoot(
          new org.apache.arrow.vector.types.pojo.Schema(columns.stream().map(FieldVector::getField).toList(),
              table.getSchema().getCustomMetadata()), columns, table.getRowCount()), owned);
    }

    @Override
    public void close() {
      owned.forEach(FieldVector::close);
    }
  }

  private static boolean isNumpy(FileFormat format) {
    return format == FileFormat.NPY || format == FileFormat.NPZ || format == FileFormat.NPY_DIR;
  }

  /** The layout asked for, or the one the table calls for: its own frame, lists, or plain columns. */
  static NpzLayout npzLayout(VectorSchemaRoot table, ConvertOptions options) {
    if (options.layout() != null) {
      return options.layout();
    }
    var metadata = table.getSchema().getCustomMetadata();
    if (metadata != null && metadata.containsKey(FrameReader.SCHEMA_KEY)) {
      return NpzLayout.FRAME;
    }
    return hasLists(table) ? NpzLayout.PACKED : NpzLayout.PLAIN;
  }

  private static boolean hasLists(VectorSchemaRoot table) {
    return table.getFieldVectors().stream().anyMatch(v -> v instanceof ListVector || v instanceof LargeListVector);
  }

  static FieldVector pickColumn(VectorSchemaRoot table, String column) {
    List<FieldVector> vectors = table.getFieldVectors();
    if (column != null) {
      FieldVector v = table.getVector(column);
      if (v == null) {
        throw new UnsupportedDataException(column, "no such column; the table has "
            + vectors.stream().map(FieldVector::getName).toList());
      }
      return v;
    }
    if (vectors.size() != 1) {
      throw new IllegalArgumentException("the table has " + vectors.size() + " columns "
          + vectors.stream().map(FieldVector::getName).toList() + "; choose one with --column");
    }
    return vectors.get(0);
  }

  /** A file name without its extension: the column name an NPY file's array gets. */
  public static String stem(Path path) {
    String name = path.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
