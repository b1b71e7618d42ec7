package io.arrownpz.examples.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Revenue and orders per year and region from a folder of NumPy files partitioned by year and region
 * ({@code sales/year=2024/region=EU/part-0.npz}), written back as StaticFrame frames, one folder per year.
 *
 * <pre>
 * spark-submit --packages io.arrownpz:arrow-npz-spark:0.1.0 \
 *   --class io.arrownpz.examples.spark.SalesByRegion app.jar sales/ report/
 * </pre>
 *
 * <p>Arrow needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED}, which Spark's launcher already gives
 * its JVMs on Java 17; a program that starts Spark itself (its tests, an IDE) passes it, as this module's
 * build does.
 */
public final class SalesByRegion {
  private SalesByRegion() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: SalesByRegion SALES_DIR REPORT_DIR");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("sales by region").getOrCreate(); // master: spark-submit's
    try {
      run(spark, args[0], args[1]).show();
    } finally {
      spark.stop();
    }
  }

  /** Reads {@code sales}, writes the report into {@code report} (replacing what was there) and gives it. */
  public static Dataset<Row> run(SparkSession spark, String sales, String report) {
    // The folders' keys, year and region, are columns after the files' own (here, price).
    Dataset<Row> orders = spark.read().format("npz").load(sales);
    Dataset<Row> totals = orders.groupBy("year", "region")
        .agg(sum("price").as("revenue"), count(lit(1)).as("orders"))
        .orderBy(col("year"), col("region"));
    // Frames StaticFrame reads with Frame.from_npz; the year names each file's folder.
    totals.write().format("npz").option("frame", true).partitionBy("year").mode(SaveMode.Overwrite).save(report);
    return totals;
  }
}
