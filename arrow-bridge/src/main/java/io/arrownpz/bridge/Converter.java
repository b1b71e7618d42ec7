package io.arrownpz.bridge;

import io.arrownpz.UnsupportedDataException;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.arrow.NpyVectorWriter;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Converts between files. An NPY array becomes a one-column table named after the file's stem (a tensor
 * column for rank 2 and more); a table becomes an NPY file from its single column or a named one.
 */
public final class Converter {
  private final BufferAllocator allocator;

  public Converter(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  /** Reads any supported file as a table. The caller closes it. */
  public VectorSchemaRoot read(Path input, FileFormat format) throws IOException {
    return switch (format) {
      case NPY -> {
        try (NpyArray array = NpyFile.open(input)) {
          FieldVector vector = new NpyVectorReader(allocator).read(array, stem(input));
          yield VectorSchemaRoot.of(vector);
        }
      }
      case FEATHER -> FeatherFiles.read(input, allocator);
    };
  }

  /** Writes a table; for NPY output, {@code column} picks the column (null: the table must have one). */
  public void write(VectorSchemaRoot table, Path output, FileFormat format, String column) throws IOException {
    switch (format) {
      case NPY -> NpyVectorWriter.of(pickColumn(table, column)).writeTo(output);
      case FEATHER -> FeatherFiles.write(table, output);
    }
  }

  public void convert(Path input, FileFormat from, Path output, FileFormat to, String column) throws IOException {
    try (VectorSchemaRoot table = read(input, from)) {
      write(table, output, to, column);
    }
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
