package io.arrownpz.benchmarks;

import io.arrownpz.cli.SamplePanel;
import io.arrownpz.internal.io.Trees;
import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.frame.FrameWriter;
import io.arrownpz.frame.NpzFrameSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
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
 * Frames of the nine panel fixtures (1e6 values each): reading one that StaticFrame consolidated (C-order
 * 2-d blocks, transposed on read), reading our own Fortran-block layout (columns are views), and writing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx2g"})
public class FrameBenchmark {
  @Param({"tall", "square", "wide"})
  String shape;

  @Param({"uniform", "mixed", "columnar"})
  String mix;

  private BufferAllocator allocator;
  private VectorSchemaRoot table;
  private Path dir;
  private Path consolidated;
  private Path fortran;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    allocator = new RootAllocator();
    table = SamplePanel.frame(shape, mix, 1e6, allocator);
    dir = Files.createTempDirectory("frame-bench");
    FrameWriteOptions withIndex = FrameWriteOptions.DEFAULTS.withIndexFields(List.of("index"));
    consolidated = dir.resolve("consolidated.npz");
    FrameWriter.writeNpz(table, consolidated, withIndex.withBlocks(FrameWriteOptions.BlockLayout.C_ORDER_2D));
    fortran = dir.resolve("fortran.npz");
    FrameWriter.writeNpz(table, fortran, withIndex);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    table.close();
    allocator.close();
    Trees.delete(dir);
  }

  @Benchmark
  public int readConsolidated() throws IOException {
    return read(consolidated);
  }

  @Benchmark
  public int readFortranBlocks() throws IOException {
    return read(fortran);
  }

  @Benchmark
  public long write() throws IOException {
    Path out = dir.resolve("out.npz");
    FrameWriter.writeNpz(table, out, FrameWriteOptions.DEFAULTS.withIndexFields(List.of("index")));
    return Files.size(out);
  }

  private int read(Path file) throws IOException {
    try (NpzFrameSource source = NpzFrameSource.open(file);
         VectorSchemaRoot t = new FrameReader(allocator).read(source)) {
      return t.getFieldVectors().size();
    }
  }
}
