package io.arrownpz.benchmarks;

import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npy.NpyDtype;
import io.arrownpz.npy.NpyFile;
import io.arrownpz.internal.npy.NpyHeaderCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Opening a float64 NPY file as a Float8Vector must not cost more for a bigger file (the values are
 * mapped, not read), and summing the mapped vector must run at least half as fast as summing a
 * {@code double[]} of the same values, measured in the same run.
 *
 * <p>Files go to {@code -Darrownpz.bench.dir} (default: the temporary directory) and are kept between
 * runs; the 1e8 file is 800 MB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx3g"})
public class NpyOpenBenchmark {
  @Param({"1000000", "100000000"})
  int elements;

  private Path file;
  private BufferAllocator allocator;
  private NpyArray array;
  private Float8Vector vector;
  private double[] heap;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = Path.of(System.getProperty("arrownpz.bench.dir", System.getProperty("java.io.tmpdir")))
        .resolve("arrow-npz-bench-f8-" + elements + ".npy");
    byte[] header = NpyHeaderCodec.encode(NpyDtype.parse("<f8"), false, new long[] {elements});
    if (!Files.exists(file) || Files.size(file) != header.length + 8L * elements) {
      write(file, header, elements);
    }
    heap = new double[elements];
    for (int i = 0; i < elements; i++) {
      heap[i] = value(i);
    }
    allocator = new RootAllocator();
    array = NpyFile.open(file);
    vector = (Float8Vector) new NpyVectorReader(allocator).read(array, "x");
  }

  private static double value(int i) {
    return (i % 1000) * 0.25;
  }

  private static void write(Path file, byte[] header, int elements) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(header));
      ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 23).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < elements; i++) {
        if (!chunk.hasRemaining()) {
          ch.write(chunk.flip());
          chunk.clear();
        }
        chunk.putDouble(value(i));
      }
      ch.write(chunk.flip());
    }
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vector.close();
    array.close();
    allocator.close();
  }

  /** Validate the header, map the file, build the vector, close both. */
  @Benchmark
  public int open() throws IOException {
    try (NpyArray a = NpyFile.open(file);
         FieldVector v = new NpyVectorReader(allocator).read(a, "x")) {
      return v.getValueCount();
    }
  }

  /** Through Arrow's public accessor, which checks the validity bit of each element. */
  @Benchmark
  public double sumVector() {
    Float8Vector v = vector;
    int n = v.getValueCount();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += v.get(i);
    }
    return sum;
  }

  /**
   * The same accessor with Arrow's documented production flags, which drop the per-access bounds and
   * reference-count checks and the null check in {@code get}.
   */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx3g",
      "-Darrow.enable_unsafe_memory_access=true", "-Darrow.enable_null_check_for_get=false"})
  public double sumVectorUnchecked() {
    return sumVector();
  }

  /** From the buffer's address, as code that knows the column has no nulls does. */
  @Benchmark
  public double sumVectorAddress() {
    long address = vector.getDataBuffer().memoryAddress();
    int n = vector.getValueCount();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Double.longBitsToDouble(MemoryUtil.getLong(address + ((long) i << 3)));
    }
    return sum;
  }

  /** Straight from the data buffer, as code that knows the column has no nulls would. */
  @Benchmark
  public double sumVectorBuffer() {
    ArrowBuf data = vector.getDataBuffer();
    int n = vector.getValueCount();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += data.getDouble((long) i << 3);
    }
    return sum;
  }

  /** The peer: a plain Java array of the same values. */
  @Benchmark
  public double sumArray() {
    double[] a = heap;
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i];
    }
    return sum;
  }
}
