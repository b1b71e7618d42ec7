package io.arrownpz.benchmarks;

import io.arrownpz.cli.SamplePanel;
import io.arrownpz.bridge.compression.FastCompressionFactory;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.IpcOption;
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
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compressed Feather, LZ4 and ZSTD, written and read for the nine panel frames (1e6 values each):
 * {@code ours} and {@code arrow} are Arrow Java's own ArrowFileWriter and ArrowFileReader on a plain file
 * channel with our codec factory and with arrow-compression's (the factory alone differs); {@code bridge}
 * is what arrow-npz itself does (FeatherFiles: a batch's buffers compressed or decompressed together, in
 * parallel; reads from a memory mapping, with every batch checked; writes through a temporary file). Both sides read the same file, written by pyarrow when python3 with pyarrow
 * is on the PATH (the files Java users are handed; pyarrow links its LZ4 blocks), else by our writer;
 * reads end with every buffer summed. Single shots: arrow-compression's LZ4 takes seconds per file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Timeout(time = 10, timeUnit = TimeUnit.MINUTES)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx3g"})
public class CodecBenchmark {
  @Param({"tall_uniform", "tall_mixed", "tall_columnar", "square_uniform", "square_mixed", "square_columnar",
      "wide_uniform", "wide_mixed", "wide_columnar"})
  String fixture;

  @Param({"lz4", "zstd"})
  String codec;

  @Param({"ours", "arrow", "bridge"})
  String factory;

  private BufferAllocator allocator;
  private VectorSchemaRoot table;
  private Path dir;
  private Path file;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    String[] parts = fixture.split("_");
    allocator = new RootAllocator();
    table = SamplePanel.frame(parts[0], parts[1], 1e6, allocator);
    dir = Files.createTempDirectory("codec-bench");
    file = dir.resolve("data.feather");
    Path plain = dir.resolve("plain.feather");
    FeatherFiles.write(table, plain, IpcCompression.NONE);
    String writer = compressWithPyarrow(plain, file) ? "pyarrow" : "arrow-npz";
    if (writer.equals("arrow-npz")) {
      FeatherFiles.write(table, file, IpcCompression.named(codec));
    }
    System.out.println("read file " + fixture + " " + codec + " written by " + writer + ": " + Files.size(file)
        + " bytes");
  }

  private CompressionCodec.Factory codecs() {
    return factory.equals("arrow") ? CommonsCompressionFactory.INSTANCE : FastCompressionFactory.INSTANCE;
  }

  /** pyarrow's compressed copy of {@code plain}, if python3 and pyarrow are there. */
  private boolean compressWithPyarrow(Path plain, Path out) {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import sys, pyarrow.feather as f; "
          + "f.write_feather(f.read_table(sys.argv[1]), sys.argv[2], compression=sys.argv[3])",
          plain.toString(), out.toString(), codec).redirectErrorStream(true).start();
      p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      return p.waitFor() == 0 && Files.exists(out);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    table.close();
    allocator.close();
    Trees.delete(dir);
  }

  @Benchmark
  public long write() throws IOException {
    Path out = dir.resolve("out.feather");
    Files.deleteIfExists(out);
    write(out);
    return Files.size(out);
  }

  private void write(Path out) throws IOException {
    IpcCompression compression = IpcCompression.named(codec);
    if (factory.equals("bridge")) {
      FeatherFiles.write(table, out, compression);
      return;
    }
    try (FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
         ArrowFileWriter writer = new ArrowFileWriter(table, null, channel, null, IpcOption.DEFAULT,
             codecs(), compression.codec())) {
      writer.start();
      writer.writeBatch();
      writer.end();
    }
  }

  /** Reads are quick enough to measure warm, over time-based iterations. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 3, time = 1)
  @Measurement(iterations = 5, time = 1)
  public long read() throws IOException {
    if (factory.equals("bridge")) {
      // Batch by batch, as Arrow's reader is used below (FeatherFiles.read would also gather the batches).
      try (ArrowReader reader = FeatherFiles.openReader(file, allocator)) {
        long sum = 0;
        while (reader.loadNextBatch()) {
          sum += FormatsBenchmark.touch(reader.getVectorSchemaRoot());
        }
        return sum;
      }
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
         ArrowFileReader reader = new ArrowFileReader(channel, allocator, codecs())) {
      long sum = 0;
      while (reader.loadNextBatch()) {
        sum += FormatsBenchmark.touch(reader.getVectorSchemaRoot());
      }
      return sum;
    }
  }
}
