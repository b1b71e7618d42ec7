package io.arrownpz.spark.bench;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark (local[2], one JVM) unpacking packed events: a table of one row per group whose event columns are
 * lists, exploded back to one row per event ({@code inline(arrays_zip(t, v))}) and summed, through this
 * source (packed NPZ) and through Spark's Parquet source (the same groups as LIST columns, snappy and
 * uncompressed). Each file read once, the contenders in turns, after a warm-up copy. Run by
 * benchmarks/spark/events, which writes DIR/events_K.npz, DIR/events_K.snappy.parquet and
 * DIR/events_K.none.parquet.
 *
 * <pre>SparkEventsBench DIR COPIES</pre>
 */
public final class SparkEventsBench {
  private SparkEventsBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int copies = Integer.parseInt(args[1]);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("arrow-npz events")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Map<String, String> contenders = new LinkedHashMap<>();
    contenders.put("npz", ".npz");
    contenders.put("parquet_snappy", ".snappy.parquet");
    contenders.put("parquet_none", ".none.parquet");
    Map<String, List<Double>> times = new LinkedHashMap<>();
    contenders.keySet().forEach(c -> times.put(c, new ArrayList<>()));
    Map<String, String> answers = new LinkedHashMap<>();
    for (int k = 0; k <= copies; k++) { // copy 0 warms up
      List<String> order = new ArrayList<>(contenders.keySet());
      java.util.Collections.rotate(order, k);
      for (String c : order) {
        Path file = dir.resolve("events_" + k + contenders.get(c));
        if (!Files.exists(file)) {
          throw new IllegalStateException("missing " + file);
        }
        long start = System.nanoTime();
        Row r = (c.equals("npz") ? spark.read().format("npz").load(file.toString())
            : spark.read().parquet(file.toString()))
            .selectExpr("inline(arrays_zip(t, v))").agg(sum("t"), sum("v"), count(lit(1))).first();
        double ms = (System.nanoTime() - start) / 1e6;
        if (k > 0) {
          times.get(c).add(ms);
        }
        answers.put(c, r.getLong(0) + " " + String.format(Locale.ROOT, "%.6e", r.getDouble(1)) + " " + r.getLong(2));
      }
    }
    if (answers.values().stream().distinct().count() != 1) {
      throw new IllegalStateException("the sources disagree: " + answers);
    }
    double npz = median(times.get("npz"));
    double snappy = median(times.get("parquet_snappy"));
    double none = median(times.get("parquet_none"));
    System.out.println("| events | npz ms | Spark Parquet snappy ms | ratio | Spark Parquet uncompressed ms | ratio |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    System.out.println(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f | %.1f | %.2f |",
        answers.get("npz").split(" ")[2], npz, snappy, npz / snappy, none, npz / none));
    spark.stop();
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
