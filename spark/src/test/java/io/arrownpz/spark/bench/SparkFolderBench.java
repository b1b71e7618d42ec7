package io.arrownpz.spark.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Spark (local[2]) grouping a Hive-partitioned folder of NumPy-written NPZ files ({@code year=Y/part-N.npz},
 * {@code np.savez}) and the same rows as pyarrow-written Parquet, by key, summing, a copy of the folder per
 * timed read (copy 0 warms up), contenders in turns; from the local disk, or with {@code -Dhdfs=true} from
 * an HDFS started here. Run by benchmarks/spark/folders, which writes DIR/npz_K and DIR/parquet_K.
 *
 * <pre>SparkFolderBench DIR COPIES</pre>
 */
public final class SparkFolderBench {
  private SparkFolderBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int copies = Integer.parseInt(args[1]);
    SparkPanelBench.touchMemory(4L << 30);
    boolean hdfs = Boolean.getBoolean("hdfs");
    BenchHdfs cluster = null;
    String root = dir.toString();
    if (hdfs) {
      List<String> names = new ArrayList<>();
      for (int k = 0; k <= copies; k++) {
        names.add("npz_" + k);
        names.add("parquet_" + k);
      }
      cluster = BenchHdfs.withCopies(dir, "folders", names);
      root = cluster.root;
    }
    SparkSession spark = SparkSession.builder().master("local[2]").appName("arrow-npz folders")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Map<String, List<Double>> times = new LinkedHashMap<>();
    times.put("npz", new ArrayList<>());
    times.put("parquet", new ArrayList<>());
    String answer = null;
    int turn = 0;
    for (int k = 0; k <= copies; k++) {
      List<String> order = new ArrayList<>(times.keySet());
      java.util.Collections.rotate(order, turn++);
      for (String c : order) {
        String folder = root + "/" + c + "_" + k;
        long start = System.nanoTime();
        Dataset<Row> table = c.equals("npz") ? spark.read().format("npz").load(folder) : spark.read().parquet(folder);
        List<Row> rows = table.groupBy("k").agg(functions.sum("v"), functions.count("w")).orderBy("k").collectAsList();
        double ms = (System.nanoTime() - start) / 1e6;
        String text = rows.stream().map(r -> r.get(0) + ":" + Math.round(r.getDouble(1)) + ":" + r.getLong(2))
            .reduce("", String::concat);
        if (answer == null) {
          answer = text;
        } else if (!answer.equals(text)) {
          throw new IllegalStateException(c + " copy " + k + " answered differently");
        }
        if (k > 0) {
          times.get(c).add(ms);
        }
      }
    }
    double npz = median(times.get("npz"));
    double parquet = median(times.get("parquet"));
    System.out.println("| source | npz ms | Spark Parquet snappy ms | ratio |");
    System.out.println("| --- | --- | --- | --- |");
    System.out.println(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |", hdfs ? "HDFS" : "local disk", npz,
        parquet, npz / parquet));
    spark.stop();
    if (cluster != null) {
      cluster.close();
    }
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
