package io.arrownpz.cli;

import io.arrownpz.io.Trees;
import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.arrow.NpyVectorWriter;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyFile;
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
 * float, mixed, columnar dtypes), each written and read as a directory of NPY files (one per column,
 * memory-mapped on read) and as an uncompressed Feather file, with times and sizes side by side.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Write and read nine generated frames as NPY files and as Feather; print times and sizes.",
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
            rows.add(npyDirectory(table, dir.resolve(frame + ".npydir"), frame, allocator));
            rows.add(feather(table, dir.resolve(frame + ".feather"), frame, allocator));
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

  private static Row npyDirectory(VectorSchemaRoot table, Path dir, String frame, BufferAllocator allocator)
      throws IOException {
    Files.createDirectories(dir);
    long t0 = System.nanoTime();
    for (FieldVector v : table.getFieldVectors()) {
      NpyVectorWriter.of(v).writeTo(dir.resolve(v.getName() + ".npy"));
    }
    long t1 = System.nanoTime();
    long checksum = 0;
    NpyVectorReader reader = new NpyVectorReader(allocator);
    for (FieldVector v : table.getFieldVectors()) {
      try (NpyArray array = NpyFile.open(dir.resolve(v.getName() + ".npy"));
           FieldVector read = reader.read(array, v.getName())) {
        checksum += touch(read);
      }
    }
    long t2 = System.nanoTime();
    blackhole(checksum);
    return new Row(frame, "npy files", (t1 - t0) / 1e6, (t2 - t1) / 1e6, treeSize(dir));
  }

  private static Row feather(VectorSchemaRoot table, Path file, String frame, BufferAllocator allocator)
      throws IOException {
    long t0 = System.nanoTime();
    FeatherFiles.write(table, file);
    long t1 = System.nanoTime();
    long checksum = 0;
    try (VectorSchemaRoot read = FeatherFiles.read(file, allocator)) {
      for (FieldVector v : read.getFieldVectors()) {
        checksum += touch(v);
      }
    }
    long t2 = System.nanoTime();
    blackhole(checksum);
    return new Row(frame, "feather", (t1 - t0) / 1e6, (t2 - t1) / 1e6, Files.size(file));
  }

  /** Reads every byte of the values, so that lazily mapped pages are paid for in the read time. */
  private static long touch(FieldVector v) {
    ArrowBuf data = v.getDataBuffer();
    long sum = 0;
    long n = data.capacity() & ~7L;
    for (long i = 0; i < n; i += 8) {
      sum += data.getLong(i);
    }
    return sum;
  }

  private static volatile long sink;

  private static void blackhole(long v) {
    sink = v;
  }

  private static void printTable(PrintWriter out, List<Row> rows) {
    out.printf(Locale.ROOT, "%n%-18s %-10s %10s %10s %10s %8s %8s%n", "frame", "format", "write", "read", "size",
        "write/npy", "read/npy");
    for (int i = 0; i < rows.size(); i += 2) {
      Row npy = rows.get(i);
      for (Row r : List.of(rows.get(i), rows.get(i + 1))) {
        out.printf(Locale.ROOT, "%-18s %-10s %10s %10s %10s %8.2f %8.2f%n", r.frame, r.format, Units.millis(r.writeMs),
            Units.millis(r.readMs), Units.bytes(r.bytes), r.writeMs / npy.writeMs, r.readMs / npy.readMs);
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
