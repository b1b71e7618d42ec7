package io.arrownpz.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.PythonPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark reads files NumPy and StaticFrame wrote through {@code format("npz")}, and its answers are theirs:
 * sums and counts through Spark SQL, a frame's index and columns, a directory as one table, only the columns
 * asked for, views of the file's mapping, and clear refusals.
 */
class SparkReadTest {
  @TempDir static Path tmp;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    PythonPeer.require("numpy", "static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        d = sys.argv[1]
        rng = np.random.default_rng(7)
        a = rng.standard_normal(100_000)
        np.savez(d + '/t.npz', a=a, b=np.arange(100_000, dtype=np.int64), c=np.arange(100_000) % 3 == 0,
                 s=np.array(['k%d' % (i % 5) for i in range(100_000)]))
        np.save(d + '/v.npy', a * 2)
        np.save(d + '/long.npy', np.arange(2_000_000, dtype=np.int64) * 3)
        big = np.lib.format.open_memmap(d + '/sparse.npy', mode='w+', dtype='<f8', shape=(500_000_000,))
        big[-1] = 1.0
        del big
        import os
        os.makedirs(d + '/parts')
        for k in range(3):
            np.savez(d + '/parts/p%d.npz' % k, x=np.arange(1000, dtype=np.int64) + k * 1000, y=np.ones(1000) * k)
        open(d + '/parts/_SUCCESS', 'w').close()
        os.makedirs(d + '/damaged')
        np.savez(d + '/damaged/good.npz', x=np.arange(10, dtype=np.int64))
        data = open(d + '/parts/p1.npz', 'rb').read()
        open(d + '/damaged/cut.npz', 'wb').write(data[:len(data) // 2])
        f = sf.Frame.from_fields([np.arange(6, dtype=np.int64) * 10, np.linspace(0, 1, 6), list('abcdef')],
                                 columns=['n', 'x', 'label'], index=sf.Index(list('uvwxyz'), name='key'))
        f.to_npz(d + '/frame.npz')
        f.to_npy(d + '/frame_dir')
        np.savez(d + '/unsigned.npz', u=np.arange(4, dtype=np.uint64))
        np.savez(d + '/invalid.npz', a=np.arange(1000, dtype=np.float64), s=np.array(['wxyz'] * 1000))
        data = bytearray(open(d + '/invalid.npz', 'rb').read())
        at = data.rfind('wxyz'.encode('utf-32-le'))  # the last element
        data[at:at + 4] = (0x110000).to_bytes(4, 'little')  # past Unicode: only decoding the column finds it
        open(d + '/invalid.npz', 'wb').write(data)
        np.savez(d + '/nearest.npz', u1=np.array([0, 200, 255], dtype=np.uint8),
                 u8=np.array([0, 2**63, 2**64 - 1], dtype=np.uint64), f2=np.array([0.5, -2, 65504], dtype=np.float16),
                 t=np.array(['2024-01-02T03:04:05.123456789', 'NaT', '1969-12-31T23:59:59.999999999'],
                            dtype='datetime64[ns]'))
        sf.Frame.from_fields([np.arange(3), np.arange(3) * 2], columns=['Price', 'price']).to_npz(d + '/cased.npz')
        np.savez(d + '/other.npz', z=np.arange(4, dtype=np.int32))
        """, tmp.toString());
    spark = SparkSession.builder().master("local[2]").appName("arrow-npz test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static String python(String expression, String file) throws Exception {
    return PythonPeer.run("import sys, numpy as np\nz = np.load(sys.argv[1])\nprint(repr(" + expression + "))",
        file).strip();
  }

  @Test
  void sqlOverAnNpzGivesNumpysAnswers() throws Exception {
    String npz = tmp.resolve("t.npz").toString();
    spark.read().format("npz").load(npz).createOrReplaceTempView("t");
    Row r = spark.sql("SELECT sum(a), sum(b), count(*), sum(CAST(c AS INT)), count(DISTINCT s) FROM t").first();
    assertEquals(Double.parseDouble(python("float(z['a'].sum())", npz)), r.getDouble(0), 1e-6);
    assertEquals(Long.parseLong(python("int(z['b'].sum())", npz)), r.getLong(1));
    assertEquals(100_000L, r.getLong(2));
    assertEquals(Long.parseLong(python("int(z['c'].sum())", npz)), r.getLong(3));
    assertEquals(5L, r.getLong(4));
    Row byKey = spark.sql("SELECT sum(b) FROM t WHERE s = 'k3'").first();
    assertEquals(Long.parseLong(python("int(z['b'][np.char.equal(z['s'], 'k3')].sum())", npz)), byKey.getLong(0));
    String v = tmp.resolve("v.npy").toString();
    double sum = spark.read().format("npz").load(v).agg(org.apache.spark.sql.functions.sum("v")).first().getDouble(0);
    assertEquals(Double.parseDouble(PythonPeer.run(
        "import sys, numpy as np\nprint(repr(float(np.load(sys.argv[1]).sum())))", v).strip()), sum, 1e-6);
  }

  @Test
  void aStaticFrameFrameIsItsIndexThenItsColumns() throws Exception {
    for (String name : List.of("frame.npz", "frame_dir")) {
      Dataset<Row> frame = spark.read().format("npz").load(tmp.resolve(name).toString());
      assertEquals(List.of("key", "n", "x", "label"), List.of(frame.columns()), name);
      List<Row> rows = frame.orderBy("key").collectAsList();
      assertEquals("w", rows.get(2).getString(0));
      assertEquals(20L, rows.get(2).getLong(1));
      assertEquals(0.4, rows.get(2).getDouble(2), 1e-12);
      assertEquals("c", rows.get(2).getString(3));
    }
  }

  @Test
  void aDirectoryIsOneTableAndOnlyTheColumnsAskedForAreRead() {
    Dataset<Row> parts = spark.read().format("npz").load(tmp.resolve("parts").toString());
    assertEquals(3000L, parts.count());
    assertEquals(3000L * 2999 / 2, parts.agg(org.apache.spark.sql.functions.sum("x")).first().getLong(0));
    String plan = parts.select("y").queryExecution().executedPlan().toString();
    assertTrue(plan.contains("y") && !plan.contains("x#"), plan);
  }

  @Test
  void aBigNpyIsSplitByRowsOverTasksAsSparksFileSourcesSplitFiles() throws Exception {
    spark.conf().set("spark.sql.files.maxPartitionBytes", "2MB");
    try {
      Dataset<Row> rows = spark.read().format("npz").load(tmp.resolve("long.npy").toString());
      assertEquals(8, rows.rdd().getNumPartitions(), "16 MB in splits of 2 MB");
      Row r = rows.agg(org.apache.spark.sql.functions.sum("long"), org.apache.spark.sql.functions.count("long"),
          org.apache.spark.sql.functions.max("long")).first();
      assertEquals(3L * 1_999_999L * 2_000_000L / 2, r.getLong(0));
      assertEquals(2_000_000L, r.getLong(1));
      assertEquals(3L * 1_999_999L, r.getLong(2));
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
    }
    Dataset<Row> sparse = spark.read().format("npz").load(tmp.resolve("sparse.npy").toString());
    assertEquals(30, sparse.rdd().getNumPartitions(), "4 GB in splits of 128 MB, planned from the header alone");
    Dataset<Row> small = spark.read().format("npz").load(tmp.resolve("parts").toString());
    // As Spark packs small files: each costs its bytes and 4 MB to open, a split is the 12 MB over 2 cores.
    assertEquals(2, small.rdd().getNumPartitions(), "three small files packed into two tasks");
  }

  @Test
  void withNearestTypeWhatSparkHasNoTypeForIsWidened() {
    List<Row> rows = spark.read().format("npz").option("nearestType", "true").load(tmp.resolve("nearest.npz").toString())
        .collectAsList();
    assertEquals(List.of((short) 0, (short) 200, (short) 255), rows.stream().map(r -> r.get(0)).toList());
    assertEquals(List.of(new java.math.BigDecimal("0"), new java.math.BigDecimal("9223372036854775808"),
        new java.math.BigDecimal("18446744073709551615")), rows.stream().map(r -> r.getDecimal(1)).toList());
    assertEquals(List.of(0.5f, -2f, 65504f), rows.stream().map(r -> r.get(2)).toList());
    assertEquals(java.time.LocalDateTime.parse("2024-01-02T03:04:05.123456"), rows.get(0).get(3));
    assertEquals(null, rows.get(1).get(3), "NaT is null");
    assertEquals(java.time.LocalDateTime.parse("1969-12-31T23:59:59.999999"), rows.get(2).get(3), "rounded down");
  }

  @Test
  void aLimitStopsEachPartitionEarly() {
    Dataset<Row> five = spark.read().format("npz").option("batchRows", "100").load(tmp.resolve("parts").toString())
        .limit(5);
    assertEquals(5, five.collectAsList().size());
    String plan = five.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("limit=5"), plan);
  }

  @Test
  void aDamagedFileFailsNamingItUnlessCorruptFilesAreIgnored() {
    String damaged = tmp.resolve("damaged").toString();
    Exception failed = assertThrows(Exception.class, () -> spark.read().format("npz").load(damaged).count());
    assertTrue(String.valueOf(failed.getMessage()).contains("cut.npz"), String.valueOf(failed.getMessage()));
    assertEquals(10L, spark.read().format("npz").option("ignoreCorruptFiles", "true").load(damaged).count());
  }

  @Test
  void packedEventsAreArraysThatExplodeToTheEvents() throws Exception {
    Path packed = tmp.resolve("sessions.npz");
    try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
         org.apache.arrow.vector.BigIntVector group = new org.apache.arrow.vector.BigIntVector("GroupID", allocator);
         org.apache.arrow.vector.Float8Vector value = new org.apache.arrow.vector.Float8Vector("v", allocator)) {
      int n = 1000;
      group.allocateNew(n);
      value.allocateNew(n);
      for (int i = 0; i < n; i++) {
        group.set(i, i / 10);
        value.set(i, i * 0.5);
      }
      group.setValueCount(n);
      value.setValueCount(n);
      try (org.apache.arrow.vector.VectorSchemaRoot events = org.apache.arrow.vector.VectorSchemaRoot.of(group, value);
           org.apache.arrow.vector.VectorSchemaRoot sessions = io.arrownpz.pack.Packer.pack(events, allocator,
               io.arrownpz.pack.PackOptions.byKeys("GroupID"))) {
        io.arrownpz.npz.PackedNpz.write(sessions, packed, io.arrownpz.npz.NpzWriteOptions.DEFAULTS);
      }
    }
    Dataset<Row> sessions = spark.read().format("npz").load(packed.toString());
    assertEquals(100L, sessions.count());
    assertTrue(sessions.schema().apply("v").dataType() instanceof org.apache.spark.sql.types.ArrayType);
    Row r = sessions.select(org.apache.spark.sql.functions.explode(org.apache.spark.sql.functions.col("v")).as("e"))
        .agg(org.apache.spark.sql.functions.sum("e"), org.apache.spark.sql.functions.count("e")).first();
    assertEquals(0.5 * 999 * 1000 / 2, r.getDouble(0), 1e-9);
    assertEquals(1000L, r.getLong(1));
  }

  @Test
  void aColumnNobodyAskedForIsNotRead() {
    String npz = tmp.resolve("invalid.npz").toString();
    Dataset<Row> table = spark.read().format("npz").load(npz);
    assertEquals(999.0 * 1000 / 2, table.agg(org.apache.spark.sql.functions.sum("a")).first().getDouble(0));
    assertEquals(1000L, table.count());
    Exception bad = assertThrows(Exception.class,
        () -> table.agg(org.apache.spark.sql.functions.max("s")).first());
    assertTrue(String.valueOf(bad.getMessage()).contains("invalid.npz"), bad.getMessage());
  }

  @Test
  void countStarComesFromTheHeaders() {
    spark.conf().set("spark.sql.files.maxPartitionBytes", "1048576"); // long.npy in row ranges
    try {
      for (String file : List.of("t.npz", "v.npy", "long.npy", "frame.npz")) {
        Dataset<Row> table = spark.read().format("npz").load(tmp.resolve(file).toString());
        long counted = table.count();
        String plan = table.groupBy().count().queryExecution().executedPlan().toString();
        assertTrue(plan.contains("count(*) from headers"), plan);
        // the same count with the values read (a filter keeps Spark from pushing the count down)
        long read = table.filter(org.apache.spark.sql.functions.lit(true).and(
            org.apache.spark.sql.functions.col(table.columns()[0]).isNotNull().or(
                org.apache.spark.sql.functions.col(table.columns()[0]).isNull()))).count();
        assertEquals(read, counted, file);
        if (!file.equals("frame.npz")) {
          assertEquals(file.equals("long.npy") ? 2_000_000L : 100_000L, counted, file);
        }
      }
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
    }
  }

  @Test
  void columnsAreViewsOfTheFilesMapping() throws Exception {
    Path npy = tmp.resolve("v.npy");
    try (NumpyPartitionReader reader = new NumpyPartitionReader(
        List.of(new FilePieces.Piece(npy.toString(), 0, -1, Files.size(npy), List.of())),
        new org.apache.spark.sql.types.StructType().add("v", org.apache.spark.sql.types.DataTypes.DoubleType),
        new org.apache.spark.sql.types.StructType(), new NumpyScan.ReadSettings(1 << 20, Long.MAX_VALUE, false, false,
            new HadoopFiles(new org.apache.hadoop.conf.Configuration())))) {
      assertTrue(reader.next());
      ColumnarBatch batch = reader.get();
      long address = ((FixedWidthColumn) batch.column(0)).valuesAddress();
      String real = npy.toRealPath().toString();
      boolean inside = Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(" " + real))
          .anyMatch(l -> {
            String[] range = l.split(" ")[0].split("-");
            return Long.parseUnsignedLong(range[0], 16) <= address && address < Long.parseUnsignedLong(range[1], 16);
          });
      assertTrue(inside, "the column's data lies in the mapping of " + real);
      assertEquals(100_000, batch.numRows());
    }
  }

  @Test
  void aTaskOfARowRangeMapsOnlyItsRange() throws Exception {
    Path npy = tmp.resolve("long.npy"); // 16 MB
    long from = 1_000_000;
    long count = 65_536;
    try (NumpyPartitionReader reader = new NumpyPartitionReader(
        List.of(new FilePieces.Piece(npy.toString(), from, count, count * 8, List.of())),
        new org.apache.spark.sql.types.StructType().add("long", org.apache.spark.sql.types.DataTypes.LongType),
        new org.apache.spark.sql.types.StructType(), new NumpyScan.ReadSettings(1 << 20, Long.MAX_VALUE, false, false,
            new HadoopFiles(new org.apache.hadoop.conf.Configuration())))) {
      assertTrue(reader.next());
      ColumnarBatch batch = reader.get();
      assertEquals(count, batch.numRows());
      assertEquals(3 * from, batch.column(0).getLong(0));
      long address = ((FixedWidthColumn) batch.column(0)).valuesAddress();
      String real = npy.toRealPath().toString();
      long mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(" " + real))
          .mapToLong(l -> {
            String[] range = l.split(" ")[0].split("-");
            long start = Long.parseUnsignedLong(range[0], 16);
            long end = Long.parseUnsignedLong(range[1], 16);
            return start <= address && address < end ? end - start : 0;
          }).sum();
      // the range, rounded out to the 64 KiB grain mappings are made in; the whole file is 16 MB
      assertTrue(mapped > 0 && mapped <= count * 8 + 2 * 65_536, "the mapping the batch lies in is " + mapped
          + " bytes, for a range of " + count * 8);
    }
  }

  @Test
  void aColumnReadAfterItsBatchIsReleasedThrowsRatherThanTouchingFreedMemory() throws Exception {
    Path npy = tmp.resolve("long.npy");
    long count = 3 * 65_536;
    ColumnarBatch first;
    ColumnarBatch second;
    try (NumpyPartitionReader reader = new NumpyPartitionReader(
        List.of(new FilePieces.Piece(npy.toString(), 0, count, count * 8, List.of())),
        new org.apache.spark.sql.types.StructType().add("long", org.apache.spark.sql.types.DataTypes.LongType),
        new org.apache.spark.sql.types.StructType(), new NumpyScan.ReadSettings(65_536, Long.MAX_VALUE, false, false,
            new HadoopFiles(new org.apache.hadoop.conf.Configuration())))) {
      assertTrue(reader.next());
      first = reader.get();
      assertEquals(3L * 65_535, first.column(0).getLong(65_535));
      assertThrows(IndexOutOfBoundsException.class, () -> first.column(0).getLong(65_536));
      assertThrows(IndexOutOfBoundsException.class, () -> first.column(0).getLong(-1));
      assertTrue(reader.next()); // the first batch's vectors are closed now
      second = reader.get();
      assertEquals(3L * 65_536, second.column(0).getLong(0));
      assertThrows(IllegalStateException.class, () -> first.column(0).getLong(0));
      assertThrows(IllegalStateException.class, () -> first.column(0).getLongs(0, 10));
    }
    assertThrows(IllegalStateException.class, () -> second.column(0).getLong(0)); // the reader is closed
  }

  @Test
  void labelsDifferingOnlyInCaseAreRefusedNamingTheSettingThatAdmitsThem() {
    String cased = tmp.resolve("cased.npz").toString();
    Exception refused = assertThrows(IllegalArgumentException.class, () -> spark.read().format("npz").load(cased));
    assertTrue(refused.getMessage().contains("'Price' and 'price'")
        && refused.getMessage().contains("spark.sql.caseSensitive=true"), refused.getMessage());
    spark.conf().set("spark.sql.caseSensitive", "true");
    try {
      Row r = spark.read().format("npz").load(cased).agg(org.apache.spark.sql.functions.sum("price")).first();
      assertEquals(6L, r.getLong(0));
    } finally {
      spark.conf().unset("spark.sql.caseSensitive");
    }
  }

  @Test
  void whatSparkCannotHoldIsRefusedNamingTheColumnAndFiles() {
    Exception unsigned = assertThrows(Exception.class,
        () -> spark.read().format("npz").load(tmp.resolve("unsigned.npz").toString()).count());
    assertTrue(String.valueOf(unsigned.getMessage()).contains("'u'") && unsigned.getMessage().contains("u8")
        && unsigned.getMessage().contains("nearestType"), unsigned.getMessage());
    Path mixed = tmp.resolve("mixed");
    Exception differ = assertThrows(Exception.class, () -> {
      Files.createDirectories(mixed);
      Files.copy(tmp.resolve("other.npz"), mixed.resolve("a.npz"));
      Files.copy(tmp.resolve("parts/p0.npz"), mixed.resolve("b.npz"));
      spark.read().format("npz").load(mixed.toString()).collectAsList();
    });
    // the schema is the first file's; the task that reads the other names it and the column it lacks
    assertTrue(differ.getMessage().contains("b.npz") && differ.getMessage().contains("no such member"),
        differ.getMessage());
  }
}
