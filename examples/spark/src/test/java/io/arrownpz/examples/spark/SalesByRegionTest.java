package io.arrownpz.examples.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example's report, read by StaticFrame, holds what NumPy sums over the same files. */
class SalesByRegionTest {
  @TempDir Path tmp;

  @Test
  void theReportIsNumpysTotals() throws Exception {
    PythonPeer.require("numpy", "static_frame");
    String expected = PythonPeer.run("""
        import sys, os, numpy as np
        rng = np.random.default_rng(11)
        lines = []
        for year in (2023, 2024):
            for region in ('APAC', 'EU', 'US'):
                folder = '%s/sales/year=%d/region=%s' % (sys.argv[1], year, region)
                os.makedirs(folder)
                price = rng.integers(1, 500, 1000 + 10 * year % 7).astype(np.int64)
                np.savez(folder + '/part-0.npz', price=price)
                lines.append('%d %s %d %d' % (year, region, price.sum(), len(price)))
        print('\\n'.join(lines))
        """, tmp.toString()).strip();
    SparkSession spark = SparkSession.builder().master("local[2]").appName("example test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    try {
      String totals = SalesByRegion.run(spark, tmp.resolve("sales").toString(), tmp.resolve("report").toString())
          .collectAsList().stream().map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2) + " " + r.get(3))
          .collect(Collectors.joining("\n"));
      assertEquals(expected, totals);
    } finally {
      spark.stop();
    }
    String staticFrame = PythonPeer.run("""
        import sys, glob, static_frame as sf
        lines = []
        for path in sorted(glob.glob(sys.argv[1] + '/report/year=*/part-*.npz')):
            year = path.split('year=')[1].split('/')[0]
            f = sf.Frame.from_npz(path)
            for region, revenue, orders in zip(f['region'].values, f['revenue'].values, f['orders'].values):
                lines.append('%s %s %d %d' % (year, region, revenue, orders))
        print('\\n'.join(sorted(lines)))
        """, tmp.toString()).strip();
    assertEquals(expected, staticFrame);
  }
}
