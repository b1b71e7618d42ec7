package io.arrownpz.cli;

import io.arrownpz.io.Trees;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.frame.FrameWriter;
import io.arrownpz.frame.NpyDirectorySource;
import io.arrownpz.frame.NpzFrameSource;
import org.apache.arrow.vector.ipc.ArrowReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The head-to-head of StaticFrame's article on generated data: nine frames (tall, square, wide; uniform
 * float, mixed, columnar dtypes), each written and read back as an NPZ frame, an NPY directory frame,
 * Feather (uncompressed, read memory-mapped; and ZSTD) and Parquet, with times and sizes side by side.
 * Reads touch every byte. One pass each: a first look, not a benchmark (see benchmarks/ for those).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Write and read nine generated frames as NPZ, NPY directory, Feather and Parquet; print times "
        + "and sizes.",
    footer = {"", "Examples:", "  arrow-npz demo", "  arrow-npz demo --scale 1e5 --out /tmp/demo"})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", paramLabel = "DIR", description = "Where to write the files (default: a temporary "
      + "directory, deleted afterwards).")
  Path out;

  @Option(names = "--scale", paramLabel = "N", defaultValue = "1e6",
      description = "Elements per frame (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(names = {"-q", "--quiet"}, description = "Print only the table.")
  boolean quiet;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private record Shape(String name, int rows, int columns) {}

  private record Row(String frame, String format, double writeMs, double readMs, long bytes) {}

  @Override
  public Integer call() throws IOException {
    if (scale < 100 || scale > 1e8) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--scale must be between 100 and 1e8");
    }
    PrintWriter printer = spec.commandLine().getOut();
    boolean temporary = out == null;
    Path dir = temporary ? Files.createTempDirectory("arrow-npz-demo") : Files.createDirectories(out);
    List<Row> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      for (Shape shape : shapes(scale)) {
        for (String mix : List.of("uniform", "mixed", "columnar")) {
          String frame = shape.name + "_" + mix;
          if (!quiet) {
            printer.printf("%s (%d x %d)...%n", frame, shape.rows, shape.columns);
            printer.flush();
          }
          try (VectorSchemaRoot table = generate(shape, mix, allocator)) {
            rows.addAll(allFormats(table, dir, frame, allocator));
          }
        }
      }
    } finally {
      if (temporary) {
        Trees.delete(dir);
      }
    }
    printTable(printer, rows);
    if (!temporary) {
      printer.println("files in " + dir);
    }
    return 0;
  }

  private static List<Shape> shapes(double scale) {
    int side = (int) Math.max(1, Math.round(Math.sqrt(scale)));
    int narrow = (int) Math.max(1, Math.round(Math.sqrt(scale / 100)));
    int wideSide = (int) Math.max(1, Math.round(scale / narrow));
    return List.of(new Shape("tall", wideSide, narrow), new Shape("square", side, side),
        new Shape("wide", narrow, wideSide));
  }

  /** Column dtypes cycle: uniform all float64; mixed int,int,bool,float,float; columnar int,bool,float. */
  private static VectorSchemaRoot generate(Shape shape, String mix, BufferAllocator allocator) {
    String[] cycle = switch (mix) {
      case "uniform" -> new String[] {"f"};
      case "mixed" -> new String[] {"i", "i", "b", "f", "f"};
      default -> new String[] {"i", "b", "f"};
    };
    SplittableRandom random = new SplittableRandom(42);
    List<FieldVector> vectors = new ArrayList<>(shape.columns);
    for (int c = 0; c < shape.columns; c++) {
      String name = "c" + c;
      FieldVector v = switch (cycle[c % cycle.length]) {
        case "i" -> {
          BigIntVector x = new BigIntVector(name, allocator);
          x.allocateNew(shape.rows);
          for (int r = 0; r < shape.rows; r++) {
            x.set(r, random.nextLong());
          }
          yield x;
        }
        case "b" -> {
          BitVector x = new BitVector(name, allocator);
          x.allocateNew(shape.rows);
          for (int r = 0; r < shape.rows; r++) {
            x.set(r, random.nextBoolean() ? 1 : 0);
          }
          yield x;
        }
        default -> {
          Float8Vector x = new Float8Vector(name, allocator);
          x.allocateNew(shape.rows);
          for (int r = 0; r < shape.rows; r++) {
            x.set(r, random.nextDouble());
          }
          yield x;
        }
      };
      v.setValueCount(shape.rows);
      vectors.add(v);
    }
    return new VectorSchemaRoot(vectors);
  }

  private interface Writer {
    void write(VectorSchemaRoot table, Path path) throws IOException;
  }

  private interface Reader {
    long readAndTouch(Path path, BufferAllocator allocator) throws IOException;
  }

  /** The formats compared, each with how it is written and read back. */
  private static final List<Object[]> FORMATS = List.of(
      new Object[] {"npz", ".npz", (Writer) (t, p) -> FrameWriter.writeNpz(t, p, FrameWriteOptions.DEFAULTS),
          (Reader) (p, a) -> {
            try (NpzFrameSource source = NpzFrameSource.open(p); VectorSchemaRoot r = new FrameReader(a).read(source)) {
              return touch(r);
            }
          }},
      new Object[] {"npy dir", ".npydir", (Writer) (t, p) -> FrameWriter.writeNpyDirectory(t, p, FrameWriteOptions.DEFAULTS),
          (Reader) (p, a) -> {
            try (NpyDirectorySource source = new NpyDirectorySource(p); VectorSchemaRoot r = new FrameReader(a).read(source)) {
              return touch(r);
            }
          }},
      new Object[] {"feather", ".feather", (Writer) (t, p) -> FeatherFiles.write(t, p, IpcCompression.NONE),
          (Reader) DemoCommand::readBatches},
      new Object[] {"feather zstd", ".zstd.feather", (Writer) (t, p) -> FeatherFiles.write(t, p, IpcCompression.ZSTD),
          (Reader) DemoCommand::readBatches},
      new Object[] {"parquet", ".parquet", (Writer) (t, p) -> ParquetFiles.write(t, p, t.getFieldVectors().get(0).getAllocator()),
          (Reader) (p, a) -> {
            try (ArrowReader reader = ParquetFiles.openReader(p, a)) {
              long sum = 0;
              while (reader.loadNextBatch()) {
                sum += touch(reader.getVectorSchemaRoot());
              }
              return sum;
            }
          }});

  private static long readBatches(Path p, BufferAllocator a) throws IOException {
    try (ArrowReader reader = FeatherFiles.openReader(p, a)) {
      long sum = 0;
      while (reader.loadNextBatch()) {
        sum += touch(reader.getVectorSchemaRoot());
      }
      return sum;
    }
  }

  private static List<Row> allFormats(VectorSchemaRoot table, Path dir, String frame, BufferAllocator allocator)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Object[] f : FORMATS) {
      Path path = dir.resolve(frame + f[1]);
      long t0 = System.nanoTime();
      ((Writer) f[2]).write(table, path);
      long t1 = System.nanoTime();
      blackhole(((Reader) f[3]).readAndTouch(path, allocator));
      long t2 = System.nanoTime();
      rows.add(new Row(frame, (String) f[0], (t1 - t0) / 1e6, (t2 - t1) / 1e6,
          Files.isDirectory(path) ? treeSize(path) : Files.size(path)));
    }
    return rows;
  }

  /** Reads every byte of every buffer, so that lazily mapped pages are paid for in the read time. */
  private static long touch(VectorSchemaRoot table) {
    long sum = 0;
    for (FieldVector v : table.getFieldVectors()) {
      for (ArrowBuf b : v.getFieldBuffers()) {
        long n = b.capacity() & ~7L;
        for (long i = 0; i < n; i += 8) {
          sum += b.getLong(i);
        }
      }
    }
    return sum;
  }

  private static volatile long sink;

  private static void blackhole(long v) {
    sink = v;
  }

  private static void printTable(PrintWriter out, List<Row> rows) {
    out.printf(Locale.ROOT, "%n%-18s %-13s %10s %10s %10s %9s %8s%n", "frame", "format", "write", "read", "size",
        "write/npz", "read/npz");
    int per = FORMATS.size();
    for (int i = 0; i < rows.size(); i += per) {
      Row npz = rows.get(i);
      for (Row r : rows.subList(i, i + per)) {
        out.printf(Locale.ROOT, "%-18s %-13s %10s %10s %10s %9.2f %8.2f%n", r.frame, r.format, Units.millis(r.writeMs),
            Units.millis(r.readMs), Units.bytes(r.bytes), r.writeMs / npz.writeMs, r.readMs / npz.readMs);
      }
    }
    out.flush();
  }

  private static long treeSize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
