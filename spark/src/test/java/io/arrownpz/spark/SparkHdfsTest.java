package io.arrownpz.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector on a real HDFS (a {@link MiniDFSCluster} started here): NumPy's and StaticFrame's files
 * read from {@code hdfs://} URIs with the values the local copies give, an {@code .npy} split by row
 * ranges, partitioned writes committed on HDFS, and reads that fetch only the byte ranges a query needs.
 */
class SparkHdfsTest {
  @TempDir static Path tmp;
  private static MiniDFSCluster cluster;
  private static FileSystem hdfs;
  private static String root;
  private static SparkSession spark;

  @BeforeAll
  static void start() throws Exception {
    PythonPeer.require("numpy", "static_frame");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = cluster.getFileSystem();
    root = hdfs.getUri() + "/data";
    spark = SparkSession.builder().master("local[2]").appName("arrow-npz hdfs test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  private static String upload(Path local, String name) throws Exception {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(root + "/" + name);
    hdfs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), target);
    return target.toString();
  }

  /** Every row of a load, sorted by its text, for comparing two loads of the same data. */
  private static List<String> rows(Dataset<Row> data) {
    List<String> out = new ArrayList<>();
    for (Row r : data.collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }

  @Test
  void numpyAndStaticFrameFilesReadFromHdfsAsTheirLocalCopies() throws Exception {
    for (String fixture : List.of("npz/many_members.npz", "npz/packed_events.npz", "npy/be_f8.npy",
        "npy/le_i4.npy", "sf/simple.npz", "sf/panel_tall_mixed.npz", "sf/consolidated_2d.npz", "sf/fortran_2d.npz")) {
      Path local = Fixtures.path(fixture);
      String uri = upload(local, "fixtures/" + fixture);
      Dataset<Row> fromHdfs = spark.read().format("npz").option("nearestType", true).load(uri);
      Dataset<Row> fromDisk = spark.read().format("npz").option("nearestType", true).load(local.toString());
      assertEquals(fromDisk.schema(), fromHdfs.schema(), fixture);
      assertEquals(rows(fromDisk), rows(fromHdfs), fixture);
      assertEquals(fromDisk.count(), fromHdfs.count(), fixture + ": count(*) from the headers");
    }
  }

  @Test
  void anNpyIsSplitByRowRangesOnHdfs() throws Exception {
    Path npy = tmp.resolve("long.npy");
    PythonPeer.run("import sys, numpy as np\nnp.save(sys.argv[1], np.arange(2_000_000, dtype='<i8') * 3)",
        npy.toString());
    String uri = upload(npy, "long.npy");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "2m");
    try {
      Dataset<Row> data = spark.read().format("npz").load(uri);
      assertTrue(data.rdd().getNumPartitions() >= 8, "partitions: " + data.rdd().getNumPartitions());
      Row sums = data.agg(org.apache.spark.sql.functions.sum("long"), org.apache.spark.sql.functions.count("long"))
          .first();
      assertEquals(3L * 1_999_999L * 2_000_000L / 2, sums.getLong(0));
      assertEquals(2_000_000L, sums.getLong(1));
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
    }
  }

  @Test
  void partitionedWritesLandOnHdfsAndReadBack() throws Exception {
    String out = root + "/written";
    Dataset<Row> data = spark.range(0, 30_000, 1, 3).select(col("id"), col("id").mod(3).as("year"),
        col("id").cast("double").divide(8).as("q"));
    data.write().format("npz").partitionBy("year").save(out);
    List<String> top = new ArrayList<>();
    for (FileStatus s : hdfs.listStatus(new org.apache.hadoop.fs.Path(out))) {
      top.add(s.getPath().getName());
    }
    top.sort(null);
    assertEquals(List.of("_SUCCESS", "year=0", "year=1", "year=2"), top, "committed, no _temporary left");
    Dataset<Row> back = spark.read().format("npz").load(out);
    assertEquals(rows(data.select("id", "q", "year")), rows(back.select("id", "q", "year")));
    assertEquals(10_000L, back.filter(col("year").equalTo(1)).count());
    // Overwrite replaces every part, on HDFS too.
    data.limit(10).write().format("npz").mode(SaveMode.Overwrite).partitionBy("year").save(out);
    assertEquals(10L, spark.read().format("npz").load(out).count());
    // And nothing reached the local disk under a name made of the URI.
    assertFalse(Files.exists(Path.of("").toAbsolutePath().resolve("hdfs:")));
  }

  @Test
  void aQueryOfOneColumnReadsOnlyItsBytes() throws Exception {
    Path wide = tmp.resolve("wide.npz");
    PythonPeer.run("""
        import sys, numpy as np
        np.savez(sys.argv[1], **{"c%03d" % i: np.full(20_000, i, dtype='<f8') for i in range(100)})
        """, wide.toString());
    String uri = upload(wide, "wide.npz");
    long column = 20_000 * 8;
    FileSystem.Statistics statistics = FileSystem.getStatistics("hdfs",
        org.apache.hadoop.hdfs.DistributedFileSystem.class);
    // The schema, from the members' heads: 160 KB apart, closer than a round trip's worth of bytes, so they are
    // fetched in one read across them (ZipArchive.willReadHeads). What the query's task reads is what counts here.
    Dataset<Row> table = spark.read().format("npz").load(uri);
    long before = statistics.getBytesRead();
    double sum = table.agg(org.apache.spark.sql.functions.sum("c042")).first().getDouble(0);
    long read = statistics.getBytesRead() - before;
    assertEquals(42.0 * 20_000, sum);
    assertTrue(Files.size(wide) > 90 * column);
    // The directory and the members' headers, then one member.
    assertTrue(read < 2 * column, "read " + read + " bytes of a " + Files.size(wide) + "-byte file for one "
        + column + "-byte column");
  }

  @Test
  void aFramesSchemaReadsItsLabelsAndFirstRowNotItsBlocks() throws Exception {
    Path frame = tmp.resolve("columns.npz");
    int rows = 131_072; // blocks of 1 MiB: farther apart than a read is worth reading across
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        f = sf.Frame.from_fields([np.arange(int(sys.argv[2]), dtype='<f8') * i for i in range(40)],
                                 columns=['c%d' % i for i in range(40)])
        f.to_npz(sys.argv[1])
        """, frame.toString(), String.valueOf(rows));
    String uri = upload(frame, "columns.npz");
    FileSystem.Statistics statistics = FileSystem.getStatistics("hdfs",
        org.apache.hadoop.hdfs.DistributedFileSystem.class);
    long before = statistics.getBytesRead();
    Dataset<Row> loaded = spark.read().format("npz").load(uri);
    long schemaBytes = statistics.getBytesRead() - before;
    assertEquals(40, loaded.schema().size(), loaded.schema().toString()); // an automatic index is no column
    assertTrue(schemaBytes < 64 << 10, "the schema read " + schemaBytes + " bytes of a " + Files.size(frame)
        + "-byte frame");
    assertEquals(39.0 * (rows - 1) * rows / 2, loaded.agg(org.apache.spark.sql.functions.sum("c39")).first()
        .getDouble(0));
  }
}
