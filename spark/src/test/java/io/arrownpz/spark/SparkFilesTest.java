package io.arrownpz.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which files a load reads, as Spark's file sources find them (globs, several paths, folders partitioned
 * the Hive way), and files of every shape NumPy writes (big-endian, no rows), each answer NumPy's.
 */
class SparkFilesTest {
  @TempDir static Path tmp;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    PythonPeer.require("numpy", "static_frame");
    PythonPeer.run("""
        import sys, os, numpy as np
        d = sys.argv[1]
        for k in range(4):
            np.savez(d + '/g%d.npz' % k, x=np.arange(100, dtype=np.int64) + 100 * k)
        rng = np.random.default_rng(3)
        for year in (2023, 2024):
            for region in ('EU', 'A/B', None):
                folder = '%s/sales/year=%d/region=%s' % (d, year, '__HIVE_DEFAULT_PARTITION__' if region is None
                                                       else region.replace('/', '%2F'))
                os.makedirs(folder)
                np.savez(folder + '/part-0.npz', price=rng.integers(0, 100, 50).astype(np.int64))
        os.makedirs(d + '/sales/_temporary/x')
        os.makedirs(d + '/nested/a/b')
        np.save(d + '/nested/a/b/v.npy', np.arange(10.0))
        np.save(d + '/big_endian.npy', np.arange(1000, dtype='>f8') / 3)
        np.savez(d + '/big_endian.npz', i=np.arange(1000, dtype='>i4') - 500, f=np.arange(1000, dtype='>f4'),
                 t=np.arange(1000, dtype='>i8').astype('>M8[us]'))
        import static_frame as sf
        sf.Frame.from_fields([np.arange(3), np.arange(3) * 2.0, ['a', 'b', 'c']], columns=[10, 20, 30],
                             index=sf.Index([7, 8, 9], name='i')).to_npz(d + '/labels.npz')
        sf.Frame.from_fields([np.arange(3), np.arange(3) * 2.0],
                             columns=sf.IndexHierarchy.from_labels([('x', 1), ('y', 2)])).to_npz(d + '/tuples.npz')
        sf.Frame.from_fields([np.arange(3), np.arange(3)], columns=['a', 'b'],
                             index=sf.Index([4, 5, 6], name='a')).to_npz(d + '/twice.npz')
        np.save(d + '/empty.npy', np.array([], dtype='<f8'))
        np.savez(d + '/empty.npz', a=np.array([], dtype='<i8'), s=np.array([], dtype='<U3'))
        """, tmp.toString());
    spark = SparkSession.builder().master("local[2]").appName("arrow-npz files test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static String numpy(String script, String file) throws Exception {
    return PythonPeer.run("import sys, numpy as np\nf = sys.argv[1]\nprint(repr(" + script + "))", file).strip();
  }

  @Test
  void globsAndSeveralPathsAreOneTable() {
    Dataset<Row> two = spark.read().format("npz").load(tmp + "/g[13].npz");
    assertEquals(200L, two.count());
    assertEquals((100 + 199) * 50L + (300 + 399) * 50L, two.agg(sum("x")).first().getLong(0), "g1 and g3 only");
    assertEquals(400L, spark.read().format("npz").load(tmp + "/g*.npz").count());
    assertEquals(200L, spark.read().format("npz").load(tmp + "/g{0,2}.npz").count());
    assertEquals(200L, spark.read().format("npz").load(tmp + "/g0.npz", tmp + "/g2.npz").count());
    Exception none = assertThrows(IllegalArgumentException.class,
        () -> spark.read().format("npz").load(tmp + "/nothing*.npz"));
    assertTrue(none.getMessage().contains("nothing*.npz") && none.getMessage().contains("matches no file"),
        none.getMessage());
    Exception missing = assertThrows(IllegalArgumentException.class,
        () -> spark.read().format("npz").load(tmp + "/gone.npz"));
    assertTrue(missing.getMessage().contains("gone.npz: no such file"), missing.getMessage());
  }

  @Test
  void hivePartitionedFoldersAddTheirKeysAsTypedColumns() throws Exception {
    Dataset<Row> sales = spark.read().format("npz").load(tmp.resolve("sales").toString());
    assertEquals(List.of("price", "year", "region"), List.of(sales.columns()));
    assertEquals(DataTypes.IntegerType, sales.schema().apply("year").dataType());
    assertEquals(DataTypes.StringType, sales.schema().apply("region").dataType());
    String expected = PythonPeer.run("""
        import sys, glob, os, urllib.parse, numpy as np
        sums = {}
        for f in sorted(glob.glob(sys.argv[1] + '/sales/year=*/region=*/part-0.npz')):
            region = urllib.parse.unquote(os.path.basename(os.path.dirname(f)).split('=', 1)[1])
            key = 'null' if region == '__HIVE_DEFAULT_PARTITION__' else region
            sums[key] = sums.get(key, 0) + int(np.load(f)['price'].sum())
        print(sorted(sums.items()))
        """, tmp.toString()).strip();
    List<Row> rows = sales.groupBy("region").agg(sum("price")).collectAsList();
    Map<String, Long> byRegion = new TreeMap<>();
    rows.forEach(r -> byRegion.put(r.isNullAt(0) ? "null" : r.getString(0), r.getLong(1)));
    String ours = byRegion.entrySet().stream().map(e -> "('" + e.getKey() + "', " + e.getValue() + ")")
        .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    assertEquals(expected, ours);
    assertEquals(150L, sales.where(col("year").equalTo(2024)).count());
    assertEquals(100L, sales.where(col("region").isNull()).count(), "__HIVE_DEFAULT_PARTITION__ is null");
    assertEquals(6L, sales.select("year", "region").distinct().count(), "partition columns alone");

    spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    try {
      assertEquals(DataTypes.StringType,
          spark.read().format("npz").load(tmp.resolve("sales").toString()).schema().apply("year").dataType());
    } finally {
      spark.conf().unset("spark.sql.sources.partitionColumnTypeInference.enabled");
    }
  }

  @Test
  void aFolderNotKeyEqualsValueIsRefusedUnlessFilesAreLookedUpRecursively() {
    String nested = tmp.resolve("nested").toString();
    Exception refused = assertThrows(IllegalArgumentException.class, () -> spark.read().format("npz").load(nested));
    assertTrue(refused.getMessage().contains("'a' is not a partition") && refused.getMessage().contains("recursiveFileLookup"),
        refused.getMessage());
    Dataset<Row> all = spark.read().format("npz").option("recursiveFileLookup", "true").load(nested);
    assertEquals(45.0, all.agg(sum("v")).first().getDouble(0));
  }

  @Test
  void bigEndianFilesGiveNumpysValues() throws Exception {
    String npy = tmp.resolve("big_endian.npy").toString();
    assertEquals(Double.parseDouble(numpy("float(np.load(f).sum())", npy)),
        spark.read().format("npz").load(npy).agg(sum("big_endian")).first().getDouble(0), 1e-9);
    String npz = tmp.resolve("big_endian.npz").toString();
    Row r = spark.read().format("npz").load(npz).agg(sum("i"), sum("f"), org.apache.spark.sql.functions.max("t"))
        .first();
    assertEquals(Long.parseLong(numpy("int(np.load(f)['i'].sum())", npz)), r.getLong(0));
    assertEquals(Double.parseDouble(numpy("float(np.load(f)['f'].astype('f8').sum())", npz)), r.getDouble(1));
    assertEquals(java.time.LocalDateTime.parse(numpy("str(np.load(f)['t'].max())", npz).replace("'", "")
        .replaceFirst("\\.000000$", "")), r.get(2));
  }

  @Test
  void filesOfNoRowsAreTablesOfNoRows() {
    Dataset<Row> npy = spark.read().format("npz").load(tmp.resolve("empty.npy").toString());
    Row r = npy.agg(count("empty"), sum("empty")).first();
    assertEquals(0L, r.getLong(0));
    assertNull(r.get(1));
    assertEquals(0L, npy.count(), "count(*) from the header");
    Dataset<Row> npz = spark.read().format("npz").load(tmp.resolve("empty.npz").toString());
    assertEquals(List.of("a", "s"), List.of(npz.columns()));
    assertEquals(0L, npz.count());
    assertEquals(0, npz.collectAsList().size());
  }

  @Test
  void labelsThatAreNotStringsAreNamedAsOurArrowTablesNameThem() throws Exception {
    for (String name : List.of("labels.npz", "tuples.npz", "twice.npz")) {
      Path labels = tmp.resolve(name);
      List<String> arrow;
      try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
           org.apache.arrow.vector.VectorSchemaRoot table = io.arrownpz.NumpyTables.read(labels, allocator)) {
        arrow = table.getSchema().getFields().stream().map(org.apache.arrow.vector.types.pojo.Field::getName).toList();
      }
      Dataset<Row> frame = spark.read().format("npz").load(labels.toString());
      assertEquals(arrow, List.of(frame.columns()), name);
      assertEquals(arrow.size(), new java.util.HashSet<>(arrow).size(), "an index named as a column is told apart");
      if (name.equals("twice.npz")) {
        continue;
      }
      String doubled = java.util.Arrays.stream(frame.schema().fields())
          .filter(f -> f.dataType().equals(DataTypes.DoubleType)).findFirst().orElseThrow().name(); // 0, 2, 4
      assertEquals(6.0, frame.agg(sum(col("`" + doubled + "`"))).first().getDouble(0), name + " " + arrow);
    }
  }

  @Test
  void hostileFilesFailTheirTaskNamingTheFileAndTheSessionGoesOn() throws Exception {
    for (String name : List.of("bad/declared_size_lies.npz", "bad/corrupt_deflate.npz",
        "bad/shape_overflow.npy", "bad/header_len_past_end.npy", "bad/truncated_central_directory.npz")) {
      java.nio.file.Path file = io.arrownpz.testing.Fixtures.path(name);
      Exception refused = assertThrows(Exception.class, () -> spark.read().format("npz").load(file.toString()).count(),
          name);
      String message = String.valueOf(refused.getMessage());
      assertTrue(message.contains(file.getFileName().toString()), name + ": " + message);
    }
    assertEquals(100L, spark.read().format("npz").load(tmp + "/g0.npz").count(), "the session goes on");
  }
}
