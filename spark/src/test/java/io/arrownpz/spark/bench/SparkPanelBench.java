package io.arrownpz.spark.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * Spark (local[2], one JVM) scanning the panel frames and summing every numeric column, through this
 * source and through Spark's own Parquet source, each file read once (a new path each time, the
 * contenders in turns), after warm-up reads of other copies. Run by benchmarks/spark/run, which writes
 * the files: DIR/FRAME_K.npz (StaticFrame), DIR/FRAME_K.snappy.parquet and DIR/FRAME_K.none.parquet. With
 * {@code -Dhdfs=true} the files are first copied into an HDFS started in this JVM (a MiniDFSCluster of one
 * data node) and read from there by their {@code hdfs://} URIs. Before anything is timed, 4 GiB of memory
 * is touched once ({@link #touchMemory}), so that no contender pays the VM's first touch of fresh memory.
 *
 * <pre>SparkPanelBench DIR COPIES FRAME...</pre>
 */
public final class SparkPanelBench {
  private SparkPanelBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int copies = Integer.parseInt(args[1]);
    List<String> frames = Arrays.asList(args).subList(2, args.length);
    touchMemory(4L << 30);
    boolean hdfs = Boolean.getBoolean("hdfs");
    BenchHdfs cluster = null;
    String root = dir.toString();
    if (hdfs) {
      List<String> names = new ArrayList<>();
      for (String frame : frames) {
        for (int k = 0; k <= copies; k++) {
          for (String suffix : List.of(".npz", ".snappy.parquet", ".none.parquet")) {
            names.add(frame + "_" + k + suffix);
          }
        }
      }
      cluster = BenchHdfs.withCopies(dir, "panel", names);
      root = cluster.root;
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("arrow-npz panel")
        .config("spark.ui.enabled", "false").config("spark.sql.caseSensitive", "true")
        .config("spark.sql.ansi.enabled", "false").getOrCreate(); // integer sums of the panel wrap, as in Parquet
    spark.sparkContext().setLogLevel("ERROR");
    Map<String, String> contenders = new LinkedHashMap<>();
    contenders.put("npz", ".npz");
    contenders.put("parquet_snappy", ".snappy.parquet");
    contenders.put("parquet_none", ".none.parquet");
    System.out.println("| frame | npz ms | Spark Parquet snappy ms | ratio | Spark Parquet uncompressed ms | ratio |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (String frame : frames) {
      Map<String, List<Double>> times = new LinkedHashMap<>();
      contenders.keySet().forEach(c -> times.put(c, new ArrayList<>()));
      Map<String, List<Double>> plans = new LinkedHashMap<>();
      contenders.keySet().forEach(c -> plans.put(c, new ArrayList<>()));
      int turn = 0;
      for (int k = 0; k <= copies; k++) { // copy 0 warms up
        List<String> order = new ArrayList<>(contenders.keySet());
        java.util.Collections.rotate(order, turn++);
        for (String c : order) {
          Path local = dir.resolve(frame + "_" + k + contenders.get(c));
          if (!Files.exists(local)) {
            throw new IllegalStateException("missing " + local);
          }
          String file = root + "/" + local.getFileName();
          long start = System.nanoTime();
          Dataset<Row> sums = sumEveryColumn(c.equals("npz") ? spark.read().format("npz").load(file)
              : spark.read().parquet(file));
          sums.queryExecution().executedPlan(); // analysed, optimised and planned: the part a wide frame spends in Spark
          double planned = (System.nanoTime() - start) / 1e6;
          sums.collect();
          double ms = (System.nanoTime() - start) / 1e6;
          if (k > 0) {
            times.get(c).add(ms);
            plans.get(c).add(planned);
          }
        }
      }
      double npz = median(times.get("npz"));
      double snappy = median(times.get("parquet_snappy"));
      double none = median(times.get("parquet_none"));
      System.out.println(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.1f | %.2f |", frame, npz, snappy,
          npz / snappy, none, npz / none));
      System.err.println(String.format(Locale.ROOT, "%s: of which planned (load, analysis, optimisation, physical "
          + "plan), ms: npz %.1f, Parquet snappy %.1f, uncompressed %.1f", frame, median(plans.get("npz")),
          median(plans.get("parquet_snappy")), median(plans.get("parquet_none"))));
    }
    spark.stop();
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * Touches {@code bytes} of native memory once, a byte per page, and again, printing both rates: the first
   * touch of memory this VM never used runs far slower than any later one, and would be charged to
   * whichever contender happened to allocate it first.
   */
  static void touchMemory(long bytes) {
    long address = org.apache.arrow.memory.util.MemoryUtil.allocateMemory(bytes);
    try {
      double[] rates = new double[2];
      for (int pass = 0; pass < 2; pass++) {
        long start = System.nanoTime();
        for (long i = 0; i < bytes; i += 4096) {
          org.apache.arrow.memory.util.MemoryUtil.putByte(address + i, (byte) pass);
        }
        rates[pass] = bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
      }
      System.out.println(String.format(Locale.ROOT, "memory touched first: %d MiB, first touch %.0f MB/s, again %.0f MB/s",
          bytes >> 20, rates[0], rates[1]));
    } finally {
      org.apache.arrow.memory.util.MemoryUtil.freeMemory(address);
    }
  }

  /** A sum of every numeric column (and a count of every other): collected, every value is read. */
  private static Dataset<Row> sumEveryColumn(Dataset<Row> table) {
    List<Column> sums = new ArrayList<>();
    for (StructField f : table.schema().fields()) {
      Column c = functions.col("`" + f.name() + "`");
      sums.add(f.dataType() instanceof NumericType ? functions.sum(c) : functions.count(c));
    }
    return table.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new));
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
