package io.arrownpz.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.PythonPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Filters on partition keys leave files out before any is opened: the files of 2024 are made unreadable
 * (garbage where an NPZ should be), and every query whose filter excludes 2024 still answers, the plan
 * naming the filters and how many files are read; a query that needs 2024 fails naming its file.
 */
class SparkPruningTest {
  @TempDir static Path dir;
  @TempDir static Path mixed;
  private static SparkSession spark;
  private static Path unreadable;

  @BeforeAll
  static void start() throws Exception {
    PythonPeer.require("numpy");
    PythonPeer.run("""
        import sys, os, numpy as np
        d = sys.argv[1]
        for year in ('2023', '2024', '2025', '__HIVE_DEFAULT_PARTITION__'):
            for part in range(2):
                os.makedirs(f'{d}/year={year}', exist_ok=True)
                base = 0 if year.startswith('_') else int(year)
                np.savez(f'{d}/year={year}/part-{part}.npz', amount=np.arange(10, dtype=np.int64) + base)
        """, dir.toString());
    for (int part = 0; part < 2; part++) {
      unreadable = dir.resolve("year=2024/part-" + part + ".npz");
      Files.write(unreadable, "not an NPZ at all".getBytes());
    }
    spark = SparkSession.builder().master("local[2]").appName("arrow-npz pruning test")
        .config("spark.ui.enabled", "false").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> table() {
    return spark.read().format("npz").load(dir.toString());
  }

  private static long sum(Dataset<Row> rows) {
    Row total = rows.agg(org.apache.spark.sql.functions.sum("amount")).first();
    return total.isNullAt(0) ? 0 : total.getLong(0);
  }

  @Test
  void aFilterOnTheKeyOpensOnlyItsFiles() {
    Dataset<Row> year2025 = table().filter(col("year").equalTo(2025));
    assertEquals(20, year2025.count());
    assertEquals(2 * (10 * 2025 + 45), sum(year2025));
    String plan = year2025.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("NumPy files (2 of 8)") && plan.contains("PartitionFilters"), plan);
    for (Column excluding2024 : new Column[] {col("year").geq(2025).or(col("year").equalTo(2023)),
        col("year").isin(2023, 2025), col("year").notEqual(2024), col("year").isNull(),
        col("year").lt(2024).and(col("amount").gt(2025))}) {
      Dataset<Row> rows = table().filter(excluding2024);
      long expected = switch (excluding2024.toString().contains("IS NULL") ? 1 : 0) {
        case 1 -> 45 * 2;
        default -> -1;
      };
      long got = sum(rows);
      if (expected >= 0) {
        assertEquals(expected, got, excluding2024.toString());
      }
      assertTrue(got >= 0, excluding2024.toString());
    }
    assertEquals(2 * (10 * 2023 + 45) + 2 * (10 * 2025 + 45), sum(table().filter(col("year").isin(2023, 2025))));
  }

  @Test
  void aQueryThatNeedsTheUnreadableFilesFailsNamingOne() {
    for (Column needs2024 : new Column[] {col("amount").gt(0), col("year").equalTo(2024), col("year").geq(2024)}) {
      Exception e = assertThrows(Exception.class, () -> sum(table().filter(needs2024)), needs2024.toString());
      assertTrue(String.valueOf(e.getMessage()).contains("year=2024"), e.getMessage());
    }
  }

  @Test
  void aFileWhoseColumnDiffersInTypeFailsNamingIt() throws Exception {
    PythonPeer.run("""
        import sys, numpy as np
        np.savez(sys.argv[1] + '/a.npz', x=np.arange(3, dtype=np.int64))
        np.savez(sys.argv[1] + '/b.npz', x=np.arange(3, dtype=np.float64))
        """, mixed.toString());
    Exception e = assertThrows(Exception.class,
        () -> spark.read().format("npz").load(mixed.toString()).collectAsList());
    assertTrue(e.getMessage().contains("b.npz") && e.getMessage().contains("column 'x' is DoubleType")
        && e.getMessage().contains("bigint"), e.getMessage());
  }

  @Test
  void aSchemaGivenReadsNoFileToPlan() throws Exception {
    Path other = dir.resolve("year=2023/part-0.npz");
    byte[] kept = Files.readAllBytes(other);
    Files.write(other, "garbage".getBytes());
    try {
      Dataset<Row> rows = spark.read().format("npz").schema("amount BIGINT, year INT").load(dir.toString())
          .filter(col("year").equalTo(2025));
      assertEquals(2 * (10 * 2025 + 45), sum(rows));
    } finally {
      Files.write(other, kept);
    }
  }
}
