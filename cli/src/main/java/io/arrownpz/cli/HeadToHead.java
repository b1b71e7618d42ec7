package io.arrownpz.cli;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.cache.ReadCache;
import io.arrownpz.bridge.Converter;
import io.arrownpz.internal.io.Trees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Writes a table in each format, opens it again and reads every value, {@code runs} times, and keeps
 * the medians: what a user's repeated operation costs. Untimed warm-up passes over every format come
 * first ({@link WarmUp}: a number of passes, or until the times settle), and each run takes the formats in a
 * rotated order, so that no format pays for the JIT's first compilations or always follows the same
 * neighbour. Files go to {@code dir}, one per format, overwritten
 * by each run.
 */
final class HeadToHead {
  /** Called after each format of each input, for progress bars. */
  interface Progress {
    void step(String input, Contender format);
  }

  private final BufferAllocator allocator;
  private final Path dir;
  private final int runs;
  private final WarmUp warmUp;
  private final picocli.CommandLine.Model.CommandSpec command;
  private final Progress progress;
  private final Map<String, Integer> warmUpsMade = new LinkedHashMap<>();
  /** Peers that read our files after ours in each timed run, or null. */
  private PythonPeers peers;
  /** Whether each attempt writes a frame never written before ({@link #newFrameEachAttempt}). */
  private boolean newFrameEachAttempt;
  private int attempts;

  /** @param command the command measuring, whose options a failure's hint may name */
  HeadToHead(BufferAllocator allocator, Path dir, int runs, WarmUp warmUp, picocli.CommandLine.Model.CommandSpec command,
      Progress progress) {
    this.allocator = allocator;
    this.command = command;
    this.dir = dir;
    this.runs = runs;
    this.warmUp = warmUp;
    this.progress = progress;
  }

  /**
   * After each timed run of a format a peer reads ({@link PythonPeers.Peer#ours}), the peer reads the same
   * file, timed in its own process.
   */
  void setPeers(PythonPeers peers) {
    this.peers = peers;
  }

  /**
   * Makes every attempt write the table with its last column renamed (same length, a counter), so that each
   * timed read is of a frame never seen: our reader keeps a frame's layout by its content (FrameLayouts),
   * and the same table written again would find the last attempt's.
   */
  void newFrameEachAttempt() {
    this.newFrameEachAttempt = true;
  }

  /** The untimed passes made before each input's timed runs, by input. */
  Map<String, Integer> warmUpsMade() {
    return warmUpsMade;
  }

  /**
   * One run of one format: milliseconds to write, to open, to read every value (open included) of the file
   * just written, and to read it all again through a cache the run owns.
   */
  private record Timing(double write, double open, double read, double reread) {}

  List<Measurement> measure(String input, VectorSchemaRoot table, List<Contender> formats, ConvertOptions options) {
    Converter converter = new Converter(allocator);
    int n = formats.size();
    double[][] write = new double[n][runs];
    double[][] open = new double[n][runs];
    double[][] read = new double[n][runs];
    double[][] reread = new double[n][runs];
    String[] failure = new String[n];
    // Warm-ups take the formats in the listed order, until the schedule says the times have settled.
    WarmUp.Schedule schedule = warmUp.schedule();
    while (schedule.wantsAnother()) {
      long start = System.nanoTime();
      for (int f = 0; f < n; f++) {
        if (failure[f] == null) {
          failure[f] = attempt(input, table, formats.get(f), converter, options).failure();
        }
      }
      schedule.passed((System.nanoTime() - start) / 1e6);
    }
    warmUpsMade.put(input, schedule.made());
    for (int run = 0; run < runs; run++) {
      for (int k = 0; k < n; k++) {
        int f = Math.floorMod(k + run, n); // timed run r starts at format r (mod n)
        if (failure[f] == null) {
          Outcome outcome = attempt(input, table, formats.get(f), converter, options);
          failure[f] = outcome.failure();
          if (outcome.timing() != null) {
            write[f][run] = outcome.timing().write();
            open[f][run] = outcome.timing().open();
            read[f][run] = outcome.timing().read();
            reread[f][run] = outcome.timing().reread();
            peersRead(input, formats.get(f));
          }
        }
      }
    }
    List<Measurement> results = new ArrayList<>();
    for (int f = 0; f < n; f++) {
      Contender format = formats.get(f);
      if (failure[f] != null) {
        results.add(Measurement.failed(input, format, failure[f]));
      } else {
        long bytes;
        try {
          bytes = Trees.size(format.file(dir, safeStem(input)));
        } catch (IOException e) {
          bytes = -1;
        }
        results.add(new Measurement(input, format, median(write[f]), median(open[f]), median(read[f]), median(reread[f]),
            bytes, null));
      }
      progress.step(input, format);
    }
    return results;
  }

  private void peersRead(String input, Contender format) {
    if (peers == null) {
      return;
    }
    for (PythonPeers.Peer peer : PythonPeers.Peer.values()) {
      if (peer.ours == format) {
        try {
          peers.read(input, peer, format.file(dir, safeStem(input)));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
  }

  /** One pass of one format: its timing, or why it failed. */
  private record Outcome(Timing timing, String failure) {}

  private Outcome attempt(String input, VectorSchemaRoot table, Contender format, Converter converter,
      ConvertOptions options) {
    try {
      return new Outcome(once(input, table, format, converter, options), null);
    } catch (IOException | RuntimeException e) {
      return new Outcome(null, (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + Hints.of(e, command));
    }
  }

  private Timing once(String input, VectorSchemaRoot table, Contender format, Converter converter,
      ConvertOptions options) throws IOException {
    Path file = format.file(dir, safeStem(input));
    Trees.delete(file);
    FieldVector renamed = newFrameEachAttempt && table.getFieldVectors().size() > 1 ? renamedLast(table) : null;
    long t0;
    long t1;
    try {
      VectorSchemaRoot written = renamed == null ? table : withLast(table, renamed);
      t0 = System.nanoTime();
      format.write(converter, written, file, options);
      t1 = System.nanoTime();
    } finally {
      if (renamed != null) {
        renamed.close(); // its buffers are slices of the table's: the table keeps its own
      }
    }
    try (ReadCache cache = ReadCache.builder().build()) {
      long t2;
      long t3;
      try (VectorSchemaRoot opened = format.open(converter, file, cache)) {
        t2 = System.nanoTime();
        sink = checksum(opened);
        t3 = System.nanoTime();
      }
      long t4 = System.nanoTime();
      try (VectorSchemaRoot again = format.open(converter, file, cache)) {
        sink += checksum(again);
      }
      long t5 = System.nanoTime();
      return new Timing((t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t1) / 1e6, (t5 - t4) / 1e6);
    }
  }

  /** The table's last column under a name of the same length never used before, over the same buffers. */
  private FieldVector renamedLast(VectorSchemaRoot table) {
    FieldVector last = table.getFieldVectors().get(table.getFieldVectors().size() - 1);
    String name = last.getName();
    String count = Integer.toString(attempts++);
    String fresh = name.length() > count.length()
        ? "r" + "0".repeat(name.length() - 1 - count.length()) + count
        : name + "~" + count;
    TransferPair pair = last.getTransferPair(fresh, allocator);
    pair.splitAndTransfer(0, table.getRowCount());
    return (FieldVector) pair.getTo();
  }

  private static VectorSchemaRoot withLast(VectorSchemaRoot table, FieldVector last) {
    List<FieldVector> vectors = new ArrayList<>(table.getFieldVectors());
    vectors.set(vectors.size() - 1, last);
    List<org.apache.arrow.vector.types.pojo.Field> fields = new ArrayList<>();
    vectors.forEach(v -> fields.add(v.getField()));
    return new VectorSchemaRoot(fields, vectors, table.getRowCount());
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
