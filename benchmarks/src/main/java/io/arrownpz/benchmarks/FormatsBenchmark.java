package io.arrownpz.benchmarks;

import io.arrownpz.cli.SamplePanel;
import io.arrownpz.internal.io.Trees;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.ipc.MappedFeatherReader;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.frame.FrameWriter;
import io.arrownpz.frame.NpzFrameSource;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
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
 * The nine panel frames (1e6 values each) written and read in each format: NPZ (a frame, Fortran
 * blocks), Feather uncompressed (read by Arrow's reader and by the memory-mapped one), Feather LZ4 and
 * ZSTD (arrow-compression's codecs), Parquet (arrow-dataset). Reads end with every buffer summed, so a
 * lazily mapped file pays for its pages. File sizes are printed by the setup ("size ..."). Steady state
 * (time-based iterations): single shots mostly measure the interpreter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx3g"})
public class FormatsBenchmark {
  @Param({"tall_uniform", "tall_mixed", "tall_columnar", "square_uniform", "square_mixed", "square_columnar",
      "wide_uniform", "wide_mixed", "wide_columnar"})
  String fixture;

  @Param({"npz", "feather", "feather_mapped", "feather_lz4", "feather_zstd", "parquet"})
  String format;

  private BufferAllocator allocator;
  private VectorSchemaRoot table;
  private Path dir;
  private Path file;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    String[] parts = fixture.split("_");
    allocator = new RootAllocator();
    table = SamplePanel.frame(parts[0], parts[1], 1e6, allocator);
    dir = Files.createTempDirectory("formats-bench");
    file = dir.resolve("data");
    write(file);
    System.out.println("size " + fixture + " " + format + " " + Files.size(file));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    table.close();
    allocator.close();
    Trees.delete(dir);
  }

  @Benchmark
  public long write() throws IOException {
    Path out = dir.resolve("out");
    Files.deleteIfExists(out);
    write(out);
    return Files.size(out);
  }

  private void write(Path out) throws IOException {
    switch (format) {
      case "npz" -> FrameWriter.writeNpz(table, out, FrameWriteOptions.DEFAULTS.withIndexFields(List.of("index")));
      case "feather", "feather_mapped" -> FeatherFiles.write(table, out, IpcCompression.NONE);
      case "feather_lz4" -> FeatherFiles.write(table, out, IpcCompression.LZ4);
      case "feather_zstd" -> FeatherFiles.write(table, out, IpcCompression.ZSTD);
      case "parquet" -> ParquetFiles.write(table, out, allocator);
      default -> throw new IllegalArgumentException(format);
    }
  }

  @Benchmark
  public long read() throws IOException {
    switch (format) {
      case "npz" -> {
        try (NpzFrameSource source = NpzFrameSource.open(file);
             VectorSchemaRoot t = new FrameReader(allocator).read(source)) {
          return touch(t);
        }
      }
      case "feather_mapped" -> {
        try (MappedFeatherReader reader = MappedFeatherReader.open(file, allocator)) {
          long sum = 0;
          while (reader.loadNextBatch()) {
            sum += touch(reader.getVectorSchemaRoot());
          }
          return sum;
        }
      }
      case "parquet" -> {
        try (ArrowReader reader = ParquetFiles.openReader(file, allocator)) {
          long sum = 0;
          while (reader.loadNextBatch()) {
            sum += touch(reader.getVectorSchemaRoot());
          }
          return sum;
        }
      }
      default -> {
        // Arrow Java's own reader, as users of plain Arrow Java read Feather.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(ch, allocator, io.arrownpz.bridge.compression.FastCompressionFactory.INSTANCE)) {
          long sum = 0;
          while (reader.loadNextBatch()) {
            sum += touch(reader.getVectorSchemaRoot());
          }
          return sum;
        }
      }
    }
  }

  /** Sums every 8 bytes of every buffer: all data is read, as a computation over the table would. */
  static long touch(VectorSchemaRoot t) {
    long sum = 0;
    for (FieldVector v : t.getFieldVectors()) {
      for (ArrowBuf b : v.getFieldBuffers()) {
        long n = b.capacity() & ~7L;
        long a = b.memoryAddress();
        for (long i = 0; i < n; i += 8) {
          sum += org.apache.arrow.memory.util.MemoryUtil.getLong(a + i);
        }
      }
    }
    return sum;
  }

}
