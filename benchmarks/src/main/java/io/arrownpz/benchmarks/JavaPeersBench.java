package io.arrownpz.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.util.passthrough.PassthroughNDManager;
import io.arrownpz.NumpyTables;
import io.arrownpz.cli.MemoryTouch;
import io.arrownpz.ReadOptions;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jetbrains.bio.npy.NpyFile;
import org.jetbrains.bio.npy.NpzFile;
import org.openlca.npy.Npy;
import org.openlca.npy.Npz;

/**
 * The Java libraries a user would pick instead of ours for NumPy files, on the simplest job: read a file and
 * sum every value (or open a 100-column NPZ and sum one column). First reads: each timed read is of a file
 * no contender read before (distinct copies), the JIT warmed on other copies first, contenders in turns
 * (rotating order), medians. The files are NumPy's ({@code benchmarks/java-peers/run} writes them).
 *
 * <pre>JavaPeersBench DIR COPIES BIG_COPIES ROW...   (ROW: npy-1e6, npy-1e8, npz-1e6, npz-1e8, npz-column)</pre>
 *
 * Each row's files are DIR/ROW_K.npy or .npz, K = 0 .. COPIES (BIG_COPIES for the 1e8 rows; copy 0 warms up,
 * never timed); the one-column row reads the 1e8 NPZ's copies. Each row's files are read through first (untimed),
 * so that they are in the page cache as a file just written is.
 */
public final class JavaPeersBench {
  private JavaPeersBench() {}

  /** One contender's read of a file: the sum of the values it was asked for. */
  interface Read {
    double sum(Path file, String column) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int copies = Integer.parseInt(args[1]);
    int bigCopies = Integer.parseInt(args[2]);
    List<String> rows = Arrays.asList(args).subList(3, args.length);
    System.out.println(MemoryTouch.touch(4L << 30));
    Map<String, Read> contenders = new LinkedHashMap<>();
    BufferAllocator allocator = new RootAllocator();
    contenders.put("arrow-npz", (file, column) -> ours(file, column, allocator, ReadOptions.DEFAULTS));
    contenders.put("arrow-npz read", (file, column) -> ours(file, column, allocator,
        ReadOptions.DEFAULTS.withMemoryMap(false)));
    contenders.put("org.openlca:npy 0.0.3", JavaPeersBench::openlca);
    contenders.put("org.jetbrains.bio:npy 0.3.5", JavaPeersBench::jetbrains);
    contenders.put("ai.djl:api 0.38.0", JavaPeersBench::djl);
    System.out.print("| row |");
    contenders.keySet().forEach(c -> System.out.print(" " + c + " ms |"));
    System.out.println(" ours / fastest peer | ours read / fastest peer |");
    System.out.println("| --- |" + " --- |".repeat(contenders.size() + 2));
    for (String row : rows) {
      String ext = row.startsWith("npy") ? ".npy" : ".npz";
      String column = row.equals("npz-column") ? "c7" : null;
      boolean big = row.endsWith("1e8") || column != null;
      String stem = column != null ? "npz-1e8" : row;
      int warmups = big ? 2 : 20;
      int timed = big ? bigCopies : copies;
      for (int k = 0; k <= timed; k++) {
        inPageCache(dir.resolve(stem + "_" + k + ext));
      }
      Map<String, List<Double>> times = new LinkedHashMap<>();
      List<Double> sums = new ArrayList<>();
      for (String c : contenders.keySet()) {
        times.put(c, new ArrayList<>());
        Read read = contenders.get(c);
        for (int w = 0; w < warmups; w++) { // JIT warmed on copy 0, read again and again: never timed
          read.sum(dir.resolve(stem + "_0" + ext), column);
        }
      }
      List<String> names = new ArrayList<>(contenders.keySet());
      for (int k = 1; k <= timed; k++) {
        Path file = dir.resolve(stem + "_" + k + ext);
        for (int i = 0; i < names.size(); i++) {
          String c = names.get((i + k) % names.size());
          long start = System.nanoTime();
          double sum = contenders.get(c).sum(file, column);
          times.get(c).add((System.nanoTime() - start) / 1e6);
          sums.add(sum);
        }
      }
      double first = sums.get(0);
      if (sums.stream().anyMatch(s -> Math.abs(s - first) > 1e-6 * Math.abs(first))) {
        throw new IllegalStateException(row + ": the contenders' sums differ: " + sums);
      }
      StringBuilder line = new StringBuilder("| " + row + " |");
      double fastest = Double.MAX_VALUE;
      for (String c : names) {
        double m = median(times.get(c));
        line.append(String.format(Locale.ROOT, " %.2f |", m));
        if (!c.startsWith("arrow-npz")) {
          fastest = Math.min(fastest, m);
        }
      }
      line.append(String.format(Locale.ROOT, " %.2f | %.2f |", median(times.get("arrow-npz")) / fastest,
          median(times.get("arrow-npz read")) / fastest));
      System.out.println(line);
    }
    allocator.close();
  }

  private static void inPageCache(Path file) throws java.io.IOException {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1 << 20);
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
      while (channel.read(buffer.clear()) > 0) {
        // read through, untimed
      }
    }
  }

  /**
   * Ours: the table (columns are views of the file's mapping, or of the bytes read into memory with {@code
   * read}'s memoryMap false), every value of every column summed.
   */
  static double ours(Path file, String column, BufferAllocator allocator, ReadOptions read) throws Exception {
    ReadOptions options = column == null ? read : read.withMember(column);
    try (VectorSchemaRoot table = NumpyTables.read(file, allocator, options)) {
      double sum = 0;
      for (FieldVector v : table.getFieldVectors()) {
        Float8Vector values = (Float8Vector) v;
        for (int i = 0, n = values.getValueCount(); i < n; i++) {
          sum += values.get(i);
        }
      }
      return sum;
    }
  }

  static double openlca(Path file, String column) {
    if (file.toString().endsWith(".npy")) {
      return sum(Npy.read(file.toFile()).asDoubleArray().data());
    }
    File f = file.toFile();
    if (column != null) {
      return sum(Npz.read(f, column + ".npy").asDoubleArray().data());
    }
    double[] total = {0};
    Npz.use(f, zip -> {
      for (String name : Npz.entries(zip)) {
        total[0] += sum(Npz.read(zip, name).asDoubleArray().data());
      }
    });
    return total[0];
  }

  static double jetbrains(Path file, String column) {
    if (file.toString().endsWith(".npy")) {
      return sum(NpyFile.read(file, Integer.MAX_VALUE /* its default step */).asDoubleArray());
    }
    try (NpzFile.Reader npz = NpzFile.read(file)) {
      double total = 0;
      for (var entry : npz.introspect()) {
        String name = entry.getName();
        if (column == null || name.equals(column)) {
          total += sum(npz.get(name, 1 << 18 /* its default step */).asDoubleArray());
        }
      }
      return total;
    }
  }

  /** DJL's NumPy decoding (an .npy or an NPZ) into its engine-free manager (no native engine is loaded). */
  static double djl(Path file, String column) throws Exception {
    PassthroughNDManager manager = PassthroughNDManager.INSTANCE;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      NDList list = NDList.decode(manager, in);
      double total = 0;
      for (NDArray array : list) {
        if (column == null || column.equals(array.getName())) {
          total += sum(array);
        }
      }
      return total;
    }
  }

  private static double sum(NDArray array) {
    DoubleBuffer values = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    double sum = 0;
    for (int i = 0, n = values.limit(); i < n; i++) {
      sum += values.get(i);
    }
    return sum;
  }

  private static double sum(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
