package io.arrownpz.benchmarks;

import io.arrownpz.NumpyTables;
import io.arrownpz.ReadOptions;
import io.arrownpz.pack.PackOptions;
import io.arrownpz.pack.Packer;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.cli.MemoryTouch;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.dataset.FolderDataset;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.parquet.ParquetCompression;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.frame.FrameReader;
import io.arrownpz.frame.FrameSource;
import io.arrownpz.frame.FrameWriteOptions;
import io.arrownpz.frame.FrameWriter;
import io.arrownpz.frame.NpyDirectorySource;
import io.arrownpz.frame.NpzFrameSource;
import io.arrownpz.internal.memory.BackgroundWork;
import io.arrownpz.npz.NpzArchive;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Our side of a benchmark that a Python runner interleaves with a peer in one run: one JVM that stays
 * up (so it is warm, as a library in a long-lived program is) and times one operation per line read from
 * standard input, answering with the nanoseconds it took, once the clean-up the operation left to background
 * threads is done (untimed: a caller has its result before that). The runner decides the order, the warm-ups and
 * the medians, the same for us and the peer.
 *
 * <pre>
 * touch MIB                     MemoryTouch.touch of MIB (rates to standard error) -> "ok"
 * load NAME FEATHER             read a Feather file into memory, kept as NAME   -> "ok ROWS"
 * write-parquet NAME OUT CODEC  ParquetFiles.write of NAME (none|snappy|zstd)   -> nanoseconds
 * convert-folder DIR OUT        FolderDataset of DIR written whole to OUT (format by its extension) -> nanoseconds
 * read-parquet FILE             ParquetFiles.read, the table materialized       -> nanoseconds
 * open-frame FILE               FrameReader.read of an NPZ frame or NPY directory, closed unread -> nanoseconds
 * read-frame FILE [read]        the same, every value summed (read: the files read into memory, not mapped) -> nanoseconds
 * read-numpy FILE               NumpyTables.read of an NPY or NPZ file, every value summed -> nanoseconds
 * load-numpy NAME FILE          NumpyTables.read, kept as NAME                  -> "ok ROWS"
 * load-frame NAME FILE          FrameReader.read of an NPZ frame or NPY directory, kept as NAME -> "ok ROWS"
 * write-frame NAME OUT          FrameWriter of NAME: an NPZ if OUT ends .npz, else an NPY directory -> nanoseconds
 * write-feather NAME OUT CODEC  FeatherFiles.write of NAME (none|lz4|zstd)      -> nanoseconds
 * read-feather FILE             FeatherFiles.read, whole (compressed buffers decompressed) -> nanoseconds
 * write-numpy NAME OUT          NumpyTables.write of NAME (NPY or NPZ by OUT's extension) -> nanoseconds
 * events NAME ROWS ORDER OUT    Events.generate (ORDER sorted|shuffled), kept as NAME and written to OUT (Feather) -> "ok ROWS"
 * pack NAME ordered|unordered   Packer.pack of NAME by GroupID (ordered: by Timestamp inside groups) -> nanoseconds
 * quit
 * </pre>
 */
public final class PeerHarness {
  private PeerHarness() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Map<String, VectorSchemaRoot> tables = new HashMap<>();
    try (BufferAllocator allocator = new RootAllocator();
         BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
        String[] words = line.trim().split(" ");
        try {
          String answer = run(words, tables, allocator);
          // What our operation left to background threads (a replaced file's pages freed, a mapping taken
          // down) is done before the runner times the peer, which would otherwise share a core with it.
          BackgroundWork.awaitIdle(10_000);
          out.println(answer);
        } catch (IOException | RuntimeException e) {
          out.println("error " + e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.println("error " + e);
        }
      }
      tables.values().forEach(VectorSchemaRoot::close);
    }
  }

  private static String run(String[] words, Map<String, VectorSchemaRoot> tables, BufferAllocator allocator)
      throws IOException {
    long start = System.nanoTime();
    switch (words[0]) {
      case "touch" -> {
        System.err.println(MemoryTouch.touch(Long.parseLong(words[1]) << 20));
        return "ok";
      }
      case "load", "load-numpy", "load-frame" -> {
        VectorSchemaRoot table = switch (words[0]) {
          case "load" -> FeatherFiles.read(Path.of(words[2]), allocator);
          case "load-numpy" -> NumpyTables.read(Path.of(words[2]), allocator);
          default -> readFrame(Path.of(words[2]), allocator);
        };
        VectorSchemaRoot previous = tables.put(words[1], table);
        if (previous != null) {
          previous.close();
        }
        return "ok " + table.getRowCount();
      }
      case "write-parquet" -> ParquetFiles.write(tables.get(words[1]), Path.of(words[2]), allocator,
          ParquetCompression.named(words[3]));
      case "convert-folder" -> {
        Path out = Path.of(words[2]);
        try (ArrowReader files = FolderDataset.of(Path.of(words[1])).openReader(allocator)) {
          new Converter(allocator).write(files, out, FileFormat.ofPath(out), ConvertOptions.DEFAULTS);
        }
      }
      case "events" -> {
        VectorSchemaRoot table = Events.generate(allocator, Integer.parseInt(words[2]), words[3].equals("shuffled"), 42);
        FeatherFiles.write(table, Path.of(words[4]));
        VectorSchemaRoot previous = tables.put(words[1], table);
        if (previous != null) {
          previous.close();
        }
        return "ok " + table.getRowCount();
      }
      case "pack" -> {
        PackOptions options = words[2].equals("ordered") ? PackOptions.byKeys("GroupID").orderBy("Timestamp")
            : PackOptions.byKeys("GroupID");
        try (VectorSchemaRoot packed = Packer.pack(tables.get(words[1]), allocator, options)) {
          if (packed.getRowCount() <= 0) {
            throw new IllegalStateException("no groups");
          }
        }
      }
      case "write-numpy" -> NumpyTables.write(tables.get(words[1]), Path.of(words[2]));
      case "write-frame" -> {
        Path out = Path.of(words[2]);
        if (out.getFileName().toString().endsWith(".npz")) {
          FrameWriter.writeNpz(tables.get(words[1]), out, FrameWriteOptions.DEFAULTS);
        } else {
          FrameWriter.writeNpyDirectory(tables.get(words[1]), out, FrameWriteOptions.DEFAULTS);
        }
      }
      case "write-feather" -> FeatherFiles.write(tables.get(words[1]), Path.of(words[2]), IpcCompression.named(words[3]));
      case "read-numpy" -> {
        long sum;
        long closing;
        try (VectorSchemaRoot table = NumpyTables.read(Path.of(words[1]), allocator)) {
          sum = FormatsBenchmark.touch(table);
          closing = System.nanoTime();
        }
        long end = System.nanoTime();
        return (end - start) + " " + (end - closing) + " " + sum;
      }
      case "read-parquet", "read-feather" -> {
        Path file = Path.of(words[1]);
        try (VectorSchemaRoot table = words[0].equals("read-parquet") ? ParquetFiles.read(file, allocator)
            : FeatherFiles.read(file, allocator)) {
          if (table.getRowCount() < 0) {
            throw new IllegalStateException(); // keeps the read from being optimized away
          }
        }
      }
      case "open-frame", "read-frame" -> {
        Path path = Path.of(words[1]);
        long sum = 0;
        long closing;
        ReadOptions files = ReadOptions.DEFAULTS.withMemoryMap(!(words.length > 2 && words[2].equals("read")));
        try (FrameSource source = openSource(path, files);
             VectorSchemaRoot table = new FrameReader(allocator).read(source)) {
          if (words[0].equals("read-frame")) {
            sum = FormatsBenchmark.touch(table);
          }
          closing = System.nanoTime();
        }
        long end = System.nanoTime();
        // The time, including closing (mappings retired, buffers freed), then the closing alone.
        return (end - start) + " " + (end - closing) + " " + sum;
      }
      default -> throw new IllegalArgumentException("unknown operation " + words[0]);
    }
    return Long.toString(System.nanoTime() - start);
  }

  /** A frame read whole; its columns may be views of the file, which they keep mapped until closed. */
  private static VectorSchemaRoot readFrame(Path path, BufferAllocator allocator) throws IOException {
    try (FrameSource source = openSource(path, ReadOptions.DEFAULTS)) {
      return new FrameReader(allocator).read(source);
    }
  }

  /** An NPY-directory frame or an NPZ frame, by what the path is, mapped or read as {@code options} say. */
  private static FrameSource openSource(Path path, ReadOptions options) throws IOException {
    return Files.isDirectory(path) ? new NpyDirectorySource(path, options)
        : NpzFrameSource.owning(NpzArchive.open(path, options));
  }
}
