package io.arrownpz.benchmarks;

import io.arrownpz.arrow.NpyVectorReader;
import io.arrownpz.npy.NpyArray;
import io.arrownpz.npz.NpzArchive;
import io.arrownpz.npz.NpzWriteOptions;
import io.arrownpz.npz.NpzWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
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
 * Opening an archive of 100,000 members (central directory read and indexed), and reading one member of
 * a large archive (800 MB in ten 80 MB members) as a vector.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class NpzOpenBenchmark {
  private Path many;
  private Path large;
  private BufferAllocator allocator;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path dir = Path.of(System.getProperty("arrownpz.bench.dir", System.getProperty("java.io.tmpdir")));
    allocator = new RootAllocator();
    many = dir.resolve("arrow-npz-bench-100k-members.npz");
    if (!Files.exists(many)) {
      write(many, 100_000, 4);
    }
    large = dir.resolve("arrow-npz-bench-large.npz");
    if (!Files.exists(large)) {
      write(large, 10, 10_000_000);
    }
  }

  private void write(Path path, int members, int rows) throws IOException {
    try (NpzWriter writer = NpzWriter.create(path, NpzWriteOptions.DEFAULTS);
         Float8Vector v = new Float8Vector("v", allocator)) {
      v.allocateNew(rows);
      for (int r = 0; r < rows; r++) {
        v.set(r, r);
      }
      v.setValueCount(rows);
      for (int m = 0; m < members; m++) {
        writer.add(String.format("member_%06d", m), v);
      }
      writer.commit();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    allocator.close();
  }

  @Benchmark
  public int open100kMembers() throws IOException {
    try (NpzArchive npz = NpzArchive.open(many)) {
      return npz.entries().size();
    }
  }

  @Benchmark
  public double readOneMemberOf100k() throws IOException {
    return readOne(many, "member_054321");
  }

  @Benchmark
  public double readOneMemberOfLargeArchive() throws IOException {
    return readOne(large, "member_000007");
  }

  private double readOne(Path path, String member) throws IOException {
    try (NpzArchive npz = NpzArchive.open(path);
         NpyArray array = npz.array(member, allocator);
         FieldVector v = new NpyVectorReader(allocator).read(array, member)) {
      return ((Float8Vector) v).get(v.getValueCount() - 1);
    }
  }
}
