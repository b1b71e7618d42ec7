package io.arrownpz.spark;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector on a cluster whose executors are JVMs of their own (Spark's {@code local-cluster} master: a
 * master and two workers in this JVM, each executor a process the worker starts, as on a real cluster),
 * reading and writing partitioned NPZ, and a write that survives an executor killed with SIGKILL mid-job:
 * the answer exact, nothing partial or duplicated left.
 */
class SparkClusterTest {
  @TempDir static Path tmp;
  private static SparkSession spark;

  /** Slows its rows down (a sleep every 1,000), so that a job is still running when an executor is killed. */
  public static final class Slow implements UDF1<Long, Long> {
    @Override
    public Long call(Long id) throws Exception {
      if (id % 1000 == 0) {
        Thread.sleep(25);
      }
      return id;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    // Executors are started from SPARK_HOME's jars (none here) and the class path given: this test's.
    String home = System.getenv("SPARK_HOME");
    assertTrue(home != null && System.getenv("SPARK_SCALA_VERSION") != null,
        "surefire sets SPARK_HOME and SPARK_SCALA_VERSION for the executors' launcher");
    Files.createDirectories(Path.of(home, "jars"));
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Djdk."))
        .collect(Collectors.joining(" "));
    spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("arrow-npz cluster test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.executor.extraClassPath", classPath).config("spark.executor.extraJavaOptions", flags)
        .config("spark.task.maxFailures", "4").getOrCreate();
    spark.udf().register("slow", new Slow(), DataTypes.LongType);
    awaitExecutors();
  }

  /** Waits until both executors have registered (the workers start them as the application starts). */
  private static void awaitExecutors() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while ((spark.sparkContext().getExecutorMemoryStatus().size() < 3 || executors().size() < 2)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** The executors' processes: JVMs other than this one, started by the workers for this application. */
  private static List<ProcessHandle> executors() {
    String app = spark.sparkContext().applicationId();
    return ProcessHandle.current().descendants().filter(p -> {
      String command = commandLine(p);
      return command.contains("CoarseGrainedExecutorBackend") && command.contains(app);
    }).toList();
  }

  /** A process's whole command line (ProcessHandle.Info cuts long ones short, and theirs has our class path). */
  private static String commandLine(ProcessHandle process) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException gone) {
      return "";
    }
  }

  private static List<String> dataFiles(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".npz")).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void executorsInTheirOwnJvmsWriteAndReadPartitionedNpz() throws Exception {
    awaitExecutors();
    assertEquals(2, executors().size(), "two executor processes");
    Path out = tmp.resolve("written");
    Dataset<Row> data = spark.range(0, 200_000, 1, 6).select(col("id"), col("id").mod(4).as("year"),
        col("id").cast("double").divide(16).as("q"));
    data.write().format("npz").partitionBy("year").save(out.toString());
    Dataset<Row> back = spark.read().format("npz").load(out.toString());
    Row totals = back.agg(org.apache.spark.sql.functions.sum("id"), org.apache.spark.sql.functions.sum("q"),
        org.apache.spark.sql.functions.count("year")).first();
    assertEquals(199_999L * 200_000L / 2, totals.getLong(0));
    assertEquals(199_999.0 * 200_000.0 / 2 / 16, totals.getDouble(1));
    assertEquals(200_000L, totals.getLong(2));
    assertEquals(50_000L, back.filter(col("year").equalTo(2)).count());
    assertEquals(24, dataFiles(out).size(), "a file per task and folder: " + dataFiles(out));
  }

  @Test
  void aWriteSurvivesAnExecutorKilledMidJob() throws Exception {
    awaitExecutors(); // two again, should another test have lost one
    Path out = tmp.resolve("killed");
    long rows = 400_000;
    Dataset<Row> data = spark.range(0, rows, 1, 8).select(call_udf("slow", col("id")).as("id"),
        col("id").mod(2).as("part"));
    java.util.concurrent.atomic.AtomicInteger failedTasks = new java.util.concurrent.atomic.AtomicInteger();
    org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
        if (!(end.reason() instanceof org.apache.spark.Success$)) {
          failedTasks.incrementAndGet();
        }
      }
    };
    spark.sparkContext().addSparkListener(listener);
    CompletableFuture<Void> job = CompletableFuture.runAsync(
        () -> data.write().format("npz").partitionBy("part").save(out.toString()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (spark.sparkContext().statusTracker().getActiveStageIds().length == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(1500); // tasks under way on both executors
    List<ProcessHandle> running = executors();
    assertEquals(2, running.size(), "two executor processes");
    ProcessHandle victim = running.get(0);
    assertTrue(victim.destroyForcibly(), "SIGKILL sent");
    victim.onExit().get(30, TimeUnit.SECONDS);
    job.get(180, TimeUnit.SECONDS);
    spark.sparkContext().removeSparkListener(listener);
    assertTrue(failedTasks.get() >= 1, "the killed executor's tasks failed and ran again elsewhere");
    Row totals = spark.read().format("npz").load(out.toString())
        .agg(org.apache.spark.sql.functions.sum("id"), org.apache.spark.sql.functions.count("id")).first();
    assertEquals((rows - 1) * rows / 2, totals.getLong(0), "every row once: none lost, none twice");
    assertEquals(rows, totals.getLong(1));
    assertEquals(16, dataFiles(out).size(), "one file per task and folder, none from the killed attempts: "
        + dataFiles(out));
    assertTrue(!Files.exists(out.resolve("_temporary")) && Files.exists(out.resolve("_SUCCESS")));
  }
}
