package io.arrownpz.cli;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes a table in each format, opens it again and reads every value, {@code runs} times, and keeps
 * the medians. Files go to {@code dir}, one per format, overwritten by each run.
 */
final class HeadToHead {
  /** Called after each format of each input, for progress bars. */
  interface Progress {
    void step(String input, Contender format);
  }

  private final BufferAllocator allocator;
  private final Path dir;
  private final int runs;
  private final Progress progress;

  HeadToHead(BufferAllocator allocator, Path dir, int runs, Progress progress) {
    this.allocator = allocator;
    this.dir = dir;
    this.runs = runs;
    this.progress = progress;
  }

  List<Measurement> measure(String input, VectorSchemaRoot table, List<Contender> formats, ConvertOptions options) {
    List<Measurement> results = new ArrayList<>();
    Converter converter = new Converter(allocator);
    for (Contender format : formats) {
      try {
        results.add(measure(input, table, format, converter, options));
      } catch (IOException | RuntimeException e) {
        results.add(Measurement.failed(input, format, e.getMessage()));
      }
      progress.step(input, format);
    }
    return results;
  }

  private Measurement measure(String input, VectorSchemaRoot table, Contender format, Converter converter,
      ConvertOptions options) throws IOException {
    Path file = format.file(dir, safeStem(input));
    double[] write = new double[runs];
    double[] open = new double[runs];
    double[] read = new double[runs];
    for (int run = 0; run < runs; run++) {
      Trees.delete(file);
      long t0 = System.nanoTime();
      format.write(converter, table, file, options);
      long t1 = System.nanoTime();
      try (VectorSchemaRoot opened = format.open(converter, file)) {
        long t2 = System.nanoTime();
        sink = checksum(opened);
        long t3 = System.nanoTime();
        write[run] = (t1 - t0) / 1e6;
        open[run] = (t2 - t1) / 1e6;
        read[run] = (t3 - t1) / 1e6;
      }
    }
    return new Measurement(input, format, median(write), median(open), median(read), Trees.size(file), null);
  }

  private static String safeStem(String input) {
    return input.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  @SuppressWarnings("unused")
  private static volatile long sink;

  /** Sums every 8 bytes of every buffer, so that each page of a mapped file is read. */
  static long checksum(VectorSchemaRoot table) {
    long sum = 0;
    for (FieldVector v : table.getFieldVectors()) {
      sum += checksum(v);
    }
    return sum;
  }

  private static long checksum(FieldVector v) {
    long sum = 0;
    for (ArrowBuf b : v.getFieldBuffers()) {
      long address = b.memoryAddress();
      long words = b.capacity() >>> 3;
      for (long i = 0; i < words; i++) {
        sum += MemoryUtil.getLong(address + 8 * i);
      }
      for (long i = words << 3; i < b.capacity(); i++) {
        sum += MemoryUtil.getByte(address + i);
      }
    }
    for (FieldVector child : v.getChildrenFromFields()) {
      sum += checksum(child);
    }
    return sum;
  }
}
