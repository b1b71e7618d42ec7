package io.arrownpz.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import io.arrownpz.testing.PythonPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code df.write.format("npz")}: NumPy and StaticFrame read what Spark wrote, the save modes behave as
 * Spark users expect, and a failed job leaves nothing behind.
 */
class SparkWriteTest {
  @TempDir Path tmp;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    PythonPeer.require("numpy", "static_frame");
    spark = SparkSession.builder().master("local[2]").appName("arrow-npz write test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> numbers(long n, int partitions) {
    return spark.range(0, n, 1, partitions).select(col("id"), col("id").cast("double").divide(4).as("q"),
        concat(lit("s"), col("id").mod(7).cast("string")).as("s"));
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void numpyReadsWhatSparkWroteAndSparkReadsItBack() throws Exception {
    Path out = tmp.resolve("out");
    numbers(10_000, 3).write().format("npz").save(out.toString());
    List<String> written = names(out);
    assertEquals(4, written.size(), written.toString()); // three parts and _SUCCESS, no _temporary
    assertTrue(written.contains("_SUCCESS"));
    String totals = PythonPeer.run("""
        import sys, glob, numpy as np
        parts = [np.load(f) for f in sorted(glob.glob(sys.argv[1] + '/part-*.npz'))]
        ids = np.concatenate([p['id'] for p in parts]); q = np.concatenate([p['q'] for p in parts])
        s = np.concatenate([p['s'] for p in parts])
        print(len(parts), len(ids), int(ids.sum()), float(q.sum()), ids.dtype, q.dtype, s.dtype.kind, s[ids == 8][0])
        """, out.toString()).strip();
    assertEquals("3 10000 49995000 12498750.0 int64 float64 U s1", totals);
    Row back = spark.read().format("npz").load(out.toString())
        .agg(org.apache.spark.sql.functions.sum("id"), org.apache.spark.sql.functions.count("s")).first();
    assertEquals(49_995_000L, back.getLong(0));
    assertEquals(10_000L, back.getLong(1));
  }

  @Test
  void fileUrisAreTheirLocalPathsAndFileSystemsSparkCannotReachFailBeforeAnything() throws Exception {
    Path out = tmp.resolve("by-uri");
    numbers(1_000, 2).write().format("npz").save("file://" + out);
    assertTrue(names(out).contains("_SUCCESS"), names(out).toString());
    for (String uri : List.of("file://" + out, "file:" + out, "file://" + out + "/*.npz")) {
      assertEquals(1_000L, spark.read().format("npz").load(uri).count(), uri);
    }
    Path workingDirectory = Path.of("").toAbsolutePath();
    // No file system for these schemes on this class path (hadoop-aws, hadoop-azure not added): Hadoop says so.
    for (String uri : List.of("s3a://bucket/out/x", "abfs://c@account.dfs.core.windows.net/x", "nosuch://x/y")) {
      String scheme = uri.substring(0, uri.indexOf(':'));
      Exception write = assertThrows(Exception.class, () -> numbers(10, 1).write().format("npz").save(uri));
      assertTrue(String.valueOf(write.getMessage()).contains("no Hadoop file system for " + scheme + ":"),
          write.getMessage());
      Exception read = assertThrows(Exception.class, () -> spark.read().format("npz").load(uri).count());
      assertTrue(String.valueOf(read.getMessage()).contains("no Hadoop file system for " + scheme + ":"),
          read.getMessage());
      assertFalse(java.nio.file.Files.exists(workingDirectory.resolve(scheme + ":")), "nothing written as a local "
          + "folder named after the URI");
    }
    Exception remote = assertThrows(Exception.class, () -> spark.read().format("npz").load("file://otherhost" + out));
    assertTrue(remote.getMessage().contains("otherhost"), remote.getMessage());
  }

  @Test
  void saveModesBehaveAsSparkUsersExpect() throws Exception {
    Path out = tmp.resolve("modes");
    numbers(100, 1).write().format("npz").save(out.toString());
    Exception exists = assertThrows(Exception.class, () -> numbers(10, 1).write().format("npz").save(out.toString()));
    assertTrue(exists.getMessage().contains("already holds data"), exists.getMessage());
    numbers(10, 1).write().format("npz").mode(SaveMode.Ignore).save(out.toString());
    assertEquals(100L, spark.read().format("npz").load(out.toString()).count(), "ignore wrote nothing");
    numbers(10, 2).write().format("npz").mode(SaveMode.Append).save(out.toString());
    assertEquals(110L, spark.read().format("npz").load(out.toString()).count(), "append added");
    numbers(7, 1).write().format("npz").mode(SaveMode.Overwrite).save(out.toString());
    assertEquals(7L, spark.read().format("npz").load(out.toString()).count(), "overwrite replaced");
    assertEquals(2, names(out).size(), names(out).toString());
  }

  @Test
  void framesDeflatedAndAlignedAsAsked() throws Exception {
    Path frames = tmp.resolve("frames");
    numbers(1000, 2).write().format("npz").option("frame", "true").save(frames.toString());
    String read = PythonPeer.run("""
        import sys, glob, zipfile, numpy as np, static_frame as sf
        parts = sorted(glob.glob(sys.argv[1] + '/part-*.npz'))
        frames = [sf.Frame.from_npz(p) for p in parts]
        f = sf.Frame.from_concat(frames, index=sf.IndexAutoFactory)
        print(len(parts), [str(c) for c in f.columns], int(f['id'].values.sum()), float(f['q'].values.sum()))
        """, frames.toString()).strip();
    assertEquals("2 ['id', 'q', 's'] 499500 124875.0", read);
    Path deflated = tmp.resolve("deflated");
    numbers(1000, 1).write().format("npz").option("compression", "deflate").save(deflated.toString());
    assertEquals("True 499500", PythonPeer.run("""
        import sys, glob, zipfile, numpy as np
        p = glob.glob(sys.argv[1] + '/part-*.npz')[0]
        print(all(i.compress_type == zipfile.ZIP_DEFLATED for i in zipfile.ZipFile(p).infolist()),
              int(np.load(p)['id'].sum()))
        """, deflated.toString()).strip());
    Exception both = assertThrows(Exception.class, () -> numbers(10, 1).write().format("npz").option("frame", "true")
        .option("compression", "deflate").save(tmp.resolve("both").toString()));
    assertTrue(both.getMessage().contains("frames are written stored"), both.getMessage());
    Path aligned = tmp.resolve("aligned");
    numbers(1000, 1).write().format("npz").option("alignment", "64").save(aligned.toString());
    String offsets = PythonPeer.run("""
        import sys, glob, zipfile
        p = glob.glob(sys.argv[1] + '/part-*.npz')[0]
        z = zipfile.ZipFile(p)
        data = open(p, 'rb').read()
        ok = []
        for i in z.infolist():
            o = i.header_offset
            start = o + 30 + int.from_bytes(data[o+26:o+28], 'little') + int.from_bytes(data[o+28:o+30], 'little')
            header = int.from_bytes(data[start+8:start+10], 'little') + 10
            ok.append((start + header) % 64 == 0)
        print(all(ok), len(ok))
        """, aligned.toString()).strip();
    assertEquals("True 3", offsets);
  }

  @Test
  void aFailedJobLeavesNothing() throws Exception {
    Path out = tmp.resolve("failed");
    Dataset<Row> failing = numbers(1000, 4).where(
        org.apache.spark.sql.functions.assert_true(col("id").notEqual(lit(999))).isNull());
    assertThrows(Exception.class, () -> failing.write().format("npz").save(out.toString()));
    assertFalse(Files.exists(out) && !names(out).isEmpty(), "nothing written: " + (Files.exists(out) ? names(out) : ""));
  }

  @Test
  void partitionByWritesHiveFoldersThatReadBackAsTheirKeys() throws Exception {
    Path out = tmp.resolve("by_key");
    Dataset<Row> rows = numbers(1000, 2).withColumn("k", col("id").mod(3))
        .withColumn("tag", org.apache.spark.sql.functions.when(col("id").lt(10), lit(null)).otherwise(
            org.apache.spark.sql.functions.when(col("id").mod(2).equalTo(0), lit("a/b")).otherwise(lit("c"))));
    rows.write().format("npz").partitionBy("k", "tag").save(out.toString());
    assertEquals(List.of("_SUCCESS", "k=0", "k=1", "k=2"), names(out));
    assertEquals(List.of("tag=__HIVE_DEFAULT_PARTITION__", "tag=a%2Fb", "tag=c"), names(out.resolve("k=0")));
    String numpy = PythonPeer.run("""
        import sys, glob, numpy as np
        files = sorted(glob.glob(sys.argv[1] + '/k=*/tag=*/part-*.npz'))
        first = np.load(files[0])
        folders = {f.rsplit('/', 1)[0] for f in files}
        print(len(folders), len(files), sorted(first.keys()), sum(int(np.load(f)['id'].sum()) for f in files))
        """, out.toString()).strip();
    // two tasks, each writing a file into each folder it has rows for (the nulls are all in the first)
    assertEquals("9 15 ['id', 'q', 's'] 499500", numpy, "the keys are folders, not columns of the files");
    Dataset<Row> back = spark.read().format("npz").load(out.toString());
    assertEquals(List.of("id", "q", "s", "k", "tag"), List.of(back.columns()));
    assertEquals(rows.where(col("k").equalTo(1).and(col("tag").equalTo("a/b"))).agg(
        org.apache.spark.sql.functions.sum("id")).first().getLong(0),
        back.where(col("k").equalTo(1).and(col("tag").equalTo("a/b"))).agg(
            org.apache.spark.sql.functions.sum("id")).first().getLong(0));
    assertEquals(10L, back.where(col("tag").isNull()).count());

    numbers(6, 1).withColumn("k", lit(5)).withColumn("tag", lit("z")).write().format("npz").partitionBy("k", "tag")
        .mode(SaveMode.Overwrite).save(out.toString());
    assertEquals(List.of("_SUCCESS", "k=5"), names(out), "overwrite removed the old folders");
    Exception unknown = assertThrows(Exception.class, () -> numbers(6, 1).write().format("npz").partitionBy("nope")
        .save(tmp.resolve("unknown").toString()));
    assertTrue(String.valueOf(unknown.getMessage()).contains("nope"), unknown.getMessage());
  }

  @Test
  void anOutputPathThatIsAFileOrAPipeIsRefusedAndLeftAlone() throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
    for (SaveMode mode : List.of(SaveMode.ErrorIfExists, SaveMode.Append, SaveMode.Overwrite)) {
      Exception refused = assertThrows(Exception.class,
          () -> numbers(5, 1).write().format("npz").mode(mode).save(file.toString()));
      assertTrue(refused.getMessage().contains("notes.txt is a file, not a directory"), refused.getMessage());
    }
    assertEquals("mine", Files.readString(file));
    Path pipe = tmp.resolve("pipe");
    assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor());
    Exception refused = assertThrows(Exception.class,
        () -> numbers(5, 1).write().format("npz").mode(SaveMode.Overwrite).save(pipe.toString()));
    assertTrue(refused.getMessage().contains("pipe is a file, not a directory"), refused.getMessage());
    assertTrue(Files.readAttributes(pipe, java.nio.file.attribute.BasicFileAttributes.class).isOther(), "still a pipe");
    assertEquals(List.of("notes.txt", "pipe"), names(tmp));
  }

  @Test
  void aSymlinkToAFolderIsWrittenThrough() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    numbers(100, 2).write().format("npz").save(link.toString());
    assertTrue(Files.isSymbolicLink(link), "the link is kept");
    assertEquals(100L, spark.read().format("npz").load(real.toString()).count());
  }

  @Test
  void anOverwriteLeavesWhatASymlinkedFolderInsideItPointsTo() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    numbers(10, 1).write().format("npz").save(elsewhere.resolve("data").toString());
    List<String> before = names(elsewhere.resolve("data"));
    Path out = tmp.resolve("out");
    numbers(100, 1).write().format("npz").save(out.toString());
    Files.createSymbolicLink(out.resolve("k=1"), elsewhere.resolve("data"));
    numbers(50, 1).write().format("npz").mode(SaveMode.Overwrite).save(out.toString());
    assertEquals(before, names(elsewhere.resolve("data")), "nothing outside the output removed");
  }
}
