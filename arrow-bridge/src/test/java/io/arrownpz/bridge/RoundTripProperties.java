package io.arrownpz.bridge;

import io.arrownpz.testing.ScratchDirectories;
import io.arrownpz.BadFileException;
import io.arrownpz.UnsupportedDataException;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.ipc.IpcOptions;
import io.arrownpz.bridge.ipc.IpcStreamFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DurationVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Random tables (every scalar type the formats share, nulls or not, 0 to thousands of rows, one or several
 * batches) through every format and back: read back equal, value for value, or refused with a documented
 * exception naming what the format cannot hold. Never another exception, never a different value.
 */
class RoundTripProperties {
  private static final String[] KINDS = {"i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64",
      "bool", "utf8", "binary", "ts_us", "ts_ns", "date", "duration", "list"};

  @Property(tries = 200)
  void everyFormatGivesTheTableBackOrRefusesIt(@ForAll @IntRange(min = 0, max = 3000) int rows,
      @ForAll @IntRange(min = 1, max = 4) int columns, @ForAll @IntRange(min = 1, max = 3) int batches,
      @ForAll long seed) throws Exception {
    Path dir = ScratchDirectories.create("roundtrip");
    try (BufferAllocator allocator = new RootAllocator();
         VectorSchemaRoot table = randomTable(rows, columns, new Random(seed), allocator)) {
      List<List<Object>> expected = values(table);
      int batchRows = Math.max(1, (rows + batches - 1) / batches);
      Converter converter = new Converter(allocator);
      for (FileFormat format : List.of(FileFormat.FEATHER, FileFormat.IPC_STREAM, FileFormat.PARQUET, FileFormat.NPZ,
          FileFormat.NPY)) {
        Path file = dir.resolve("t." + format.formatName());
        try {
          write(table, file, format, batchRows, converter, allocator);
        } catch (UnsupportedDataException | BadFileException documented) {
          // what the format cannot hold, named; checked below that nothing was left
          if (Files.exists(file)) {
            throw new AssertionError(format + ": a refused write left " + file);
          }
          continue;
        }
        try (VectorSchemaRoot back = converter.read(file, format, ConvertOptions.DEFAULTS)) {
          // An .npy holds no column name: its column is named after the file.
          // And a float null in an .npy is NaN, as documented (only a plain NPZ has masks).
          List<List<Object>> wanted = format == FileFormat.NPY ? nullFloatsAsNaN(expected) : expected;
          String difference = difference(wanted, values(back), format == FileFormat.NPY);
          if (difference != null) {
            throw new AssertionError(format + " changed " + difference + " of " + table.getSchema() + " (" + rows
                + " rows, " + batches + " batches)");
          }
        }
      }
    } finally {
      io.arrownpz.internal.io.Trees.delete(dir);
    }
  }

  private static void write(VectorSchemaRoot table, Path file, FileFormat format, int batchRows, Converter converter,
      BufferAllocator allocator) throws IOException {
    switch (format) {
      case FEATHER, IPC_STREAM -> {
        try (TableReader batches = new TableReader(table, batchRows, allocator)) {
          IpcOptions options = IpcOptions.of(batchRows % 2 == 0 ? IpcCompression.LZ4 : IpcCompression.NONE);
          if (format == FileFormat.FEATHER) {
            FeatherFiles.write(batches, file, options);
          } else {
            IpcStreamFiles.write(batches, file, options);
          }
        }
      }
      case NPY -> {
        if (table.getFieldVectors().size() != 1) {
          throw new UnsupportedDataException("*", "several columns");
        }
        converter.write(table, file, format, ConvertOptions.DEFAULTS);
      }
      default -> converter.write(table, file, format, ConvertOptions.DEFAULTS);
    }
  }

  private static List<List<Object>> nullFloatsAsNaN(List<List<Object>> table) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> column : table) {
      boolean floats = String.valueOf(column.get(0)).contains("FloatingPoint");
      out.add(floats ? column.stream().map(x -> "null".equals(x) ? "NaN" : x).toList() : column);
    }
    return out;
  }

  /** Where two tables' values first differ, or null. */
  private static String difference(List<List<Object>> expected, List<List<Object>> actual, boolean ignoreNames) {
    if (expected.size() != actual.size()) {
      return "the column count (" + expected.size() + " to " + actual.size() + ")";
    }
    for (int c = 0; c < expected.size(); c++) {
      List<Object> e = expected.get(c);
      List<Object> a = actual.get(c);
      for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
        Object x = i < e.size() ? e.get(i) : "(none)";
        Object y = i < a.size() ? a.get(i) : "(none)";
        if (i == 0 && ignoreNames) {
          x = String.valueOf(x).substring(String.valueOf(x).indexOf(':'));
          y = String.valueOf(y).substring(String.valueOf(y).indexOf(':'));
        }
        if (!x.equals(y)) {
          return i == 0 ? "column " + c + " from " + x + " to " + y : "column " + c + " row " + (i - 1) + " from '" + x
              + "' to '" + y + "'";
        }
      }
    }
    return null;
  }

  /** Every value as text (bytes as hex): Arrow's own objects, compared across formats. */
  private static List<List<Object>> values(VectorSchemaRoot table) {
    List<List<Object>> out = new ArrayList<>();
    for (FieldVector v : table.getFieldVectors()) {
      List<Object> column = new ArrayList<>();
      column.add(v.getName() + ":" + v.getField().getType());
      for (int i = 0; i < v.getValueCount(); i++) {
        Object o = v.getObject(i);
        column.add(o instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(o));
      }
      out.add(column);
    }
    return out;
  }

  private static VectorSchemaRoot randomTable(int rows, int columns, Random random, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      String kind = KINDS[random.nextInt(KINDS.length)];
      double nulls = random.nextInt(3) == 0 ? 0.2 : 0;
      vectors.add(column("c" + c + "_" + kind, kind, rows, nulls, random, allocator));
    }
    return new VectorSchemaRoot(vectors);
  }

  private static FieldVector column(String name, String kind, int rows, double nulls, Random r, BufferAllocator a) {
    if (kind.equals("list")) {
      return listColumn(name, rows, nulls, r, a);
    }
    FieldVector v = switch (kind) {
      case "i8" -> new TinyIntVector(name, a);
      case "i16" -> new SmallIntVector(name, a);
      case "i32" -> new IntVector(name, a);
      case "i64" -> new BigIntVector(name, a);
      case "u8" -> new UInt1Vector(name, a);
      case "u16" -> new UInt2Vector(name, a);
      case "u32" -> new UInt4Vector(name, a);
      case "u64" -> new UInt8Vector(name, a);
      case "f32" -> new Float4Vector(name, a);
      case "f64" -> new Float8Vector(name, a);
      case "bool" -> new BitVector(name, a);
      case "utf8" -> new VarCharVector(name, a);
      case "binary" -> new VarBinaryVector(name, a);
      case "ts_us" -> new TimeStampMicroVector(name, a);
      case "ts_ns" -> new TimeStampNanoVector(name, a);
      case "date" -> new DateDayVector(name, a);
      default -> new DurationVector(name, FieldType.nullable(new ArrowType.Duration(TimeUnit.MILLISECOND)), a);
    };
    v.setInitialCapacity(rows);
    v.allocateNew();
    for (int i = 0; i < rows; i++) {
      if (nulls > 0 && r.nextDouble() < nulls) {
        v.setNull(i);
        continue;
      }
      long x = r.nextLong();
      if (v instanceof TinyIntVector t) {
        t.setSafe(i, (byte) x);
      } else if (v instanceof SmallIntVector t) {
        t.setSafe(i, (short) x);
      } else if (v instanceof IntVector t) {
        t.setSafe(i, (int) x);
      } else if (v instanceof BigIntVector t) {
        t.setSafe(i, x);
      } else if (v instanceof UInt1Vector t) {
        t.setSafe(i, (byte) x);
      } else if (v instanceof UInt2Vector t) {
        t.setSafe(i, (char) x);
      } else if (v instanceof UInt4Vector t) {
        t.setSafe(i, (int) x);
      } else if (v instanceof UInt8Vector t) {
        t.setSafe(i, x);
      } else if (v instanceof Float4Vector t) {
        t.setSafe(i, r.nextInt(20) == 0 ? Float.NaN : (float) r.nextGaussian());
      } else if (v instanceof Float8Vector t) {
        t.setSafe(i, r.nextInt(20) == 0 ? Double.NaN : r.nextGaussian() * 1e6);
      } else if (v instanceof BitVector t) {
        t.setSafe(i, r.nextBoolean() ? 1 : 0);
      } else if (v instanceof VarCharVector t) {
        t.setSafe(i, text(r).getBytes(StandardCharsets.UTF_8));
      } else if (v instanceof VarBinaryVector t) {
        byte[] bytes = new byte[r.nextInt(6)];
        r.nextBytes(bytes);
        t.setSafe(i, bytes);
      } else if (v instanceof TimeStampMicroVector t) {
        t.setSafe(i, x % 4_000_000_000_000_000L);
      } else if (v instanceof TimeStampNanoVector t) {
        t.setSafe(i, x);
      } else if (v instanceof DateDayVector t) {
        t.setSafe(i, (int) (x % 3_000_000));
      } else if (v instanceof DurationVector t) {
        t.setSafe(i, x);
      }
    }
    v.setValueCount(rows);
    return v;
  }

  /** A list<int32> column: lists of 0 to 4 items, null lists and null items where {@code nulls} says. */
  private static FieldVector listColumn(String name, int rows, double nulls, Random r, BufferAllocator a) {
    org.apache.arrow.vector.complex.ListVector list = org.apache.arrow.vector.complex.ListVector.empty(name, a);
    list.addOrGetVector(FieldType.nullable(new ArrowType.Int(32, true)));
    IntVector items = (IntVector) list.getDataVector();
    list.allocateNew();
    int at = 0;
    for (int i = 0; i < rows; i++) {
      if (nulls > 0 && r.nextDouble() < nulls) {
        list.setNull(i);
        continue;
      }
      list.startNewValue(i);
      int n = r.nextInt(5);
      for (int k = 0; k < n; k++, at++) {
        if (nulls > 0 && r.nextDouble() < nulls) {
          items.setNull(at);
        } else {
          items.setSafe(at, r.nextInt());
        }
      }
      list.endValue(i, n);
    }
    items.setValueCount(at);
    list.setValueCount(rows);
    return list;
  }

  private static String text(Random r) {
    String[] pieces = {"", "a", "é", "漢", "😀", "text ", "x y"};
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(4); i > 0; i--) {
      b.append(pieces[r.nextInt(pieces.length)]);
    }
    return b.toString();
  }
}
