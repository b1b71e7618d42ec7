package io.arrownpz.benchmarks;

import io.arrownpz.npz.NpzWriteOptions;
import io.arrownpz.npz.PlainNpz;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing an NPZ of 1e8 float64 values (ten columns of 1e7) against the peer: a plain FileChannel write
 * of the same 800 MB from the same Arrow buffers. Target: the NPZ at least 80% of the peer's throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 15)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class NpzWriteBenchmark {
  private static final int COLUMNS = 10;
  private static final int ROWS = 10_000_000;

  private BufferAllocator allocator;
  private VectorSchemaRoot table;
  private Path dir;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    allocator = new RootAllocator();
    List<FieldVector> columns = new ArrayList<>();
    for (int c = 0; c < COLUMNS; c++) {
      Float8Vector v = new Float8Vector("c" + c, allocator);
      v.allocateNew(ROWS);
      for (int r = 0; r < ROWS; r++) {
        v.set(r, r * 0.5 + c);
      }
      v.setValueCount(ROWS);
      columns.add(v);
    }
    table = new VectorSchemaRoot(columns);
    dir = Files.createTempDirectory(Path.of(System.getProperty("arrownpz.bench.dir", System.getProperty("java.io.tmpdir"))),
        "npz-write");
  }

  /** Both sides write a new file every time, as a conversion does; neither reuses the last one's blocks. */
  @Setup(Level.Invocation)
  public void removeOutputs() throws IOException {
    Files.deleteIfExists(dir.resolve("table.npz"));
    Files.deleteIfExists(dir.resolve("plain.bin"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    table.close();
    allocator.close();
    Files.deleteIfExists(dir.resolve("table.npz"));
    Files.deleteIfExists(dir.resolve("plain.bin"));
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public long npz() throws IOException {
    Path out = dir.resolve("table.npz");
    PlainNpz.write(table, out, NpzWriteOptions.DEFAULTS);
    return Files.size(out);
  }

  /** The peer: the same bytes, written with FileChannel and nothing else. */
  @Benchmark
  public long fileChannel() throws IOException {
    Path out = dir.resolve("plain.bin");
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (FieldVector v : table.getFieldVectors()) {
        ByteBuffer data = v.getDataBuffer().nioBuffer(0, ROWS * 8);
        while (data.hasRemaining()) {
          ch.write(data);
        }
      }
      return ch.size();
    }
  }
}
