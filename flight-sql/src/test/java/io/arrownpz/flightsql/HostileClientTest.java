package io.arrownpz.flightsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.flight.FlightService;
import io.arrownpz.flight.ServeOptions;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An authenticated client that tries to break the SQL service, class by class: file functions, logging and
 * profiling, settings and pragmas, extensions, DDL and DML, resource exhaustion, concurrent sessions,
 * disconnects, and wrong or missing tokens. Each refusal is asserted, and after each the service answers
 * the next query; at the end every buffer of every query is given back.
 */
class HostileClientTest {
  private static final String TOKEN = "s3cret";
  private static final long MEMORY = 64L << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir static Path dir;
  @TempDir static Path elsewhere;
  private static BufferAllocator root;
  private static FlightService service;

  @BeforeAll
  static void start() throws Exception {
    PythonPeer.require("numpy");
    PythonPeer.run("""
        import sys, numpy as np
        d = sys.argv[1]
        np.save(d + '/big.npy', np.arange(2_500_000, dtype=np.int64))
        np.savez(d + '/t.npz', k=np.arange(1000, dtype=np.int64) % 7, v=np.linspace(0, 1, 1000))
        """, dir.toString());
    root = new RootAllocator();
    service = SqlService.start(dir, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0).withToken(TOKEN),
        SqlOptions.DEFAULTS.withMemoryLimit(MEMORY).withTimeout(TIMEOUT).withSpillLimit(16L << 20)
            .withStatementLimits(1 << 16, 8), root, w -> { });
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    root.close(); // throws if any query left a buffer behind
  }

  private static final CredentialCallOption AUTH = new CredentialCallOption(new BearerCredentialWriter(TOKEN));

  private static FlightSqlClient client(BufferAllocator allocator) {
    return new FlightSqlClient(FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", service.port()))
        .build());
  }

  private static List<String> query(FlightSqlClient client, String sql) throws Exception {
    FlightInfo info = client.execute(sql, AUTH);
    List<String> rows = new ArrayList<>();
    for (org.apache.arrow.flight.FlightEndpoint endpoint : info.getEndpoints()) {
      try (FlightStream stream = client.getStream(endpoint.getTicket(), AUTH)) {
        while (stream.next()) {
          for (int r = 0; r < stream.getRoot().getRowCount(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < stream.getRoot().getFieldVectors().size(); c++) {
              line.append(c > 0 ? "\t" : "").append(stream.getRoot().getVector(c).getObject(r));
            }
            rows.add(line.toString());
          }
        }
      }
    }
    return rows;
  }

  /** Each statement is refused with a one-line message naming {@code what}, and the service answers on. */
  private static void refused(FlightSqlClient client, String what, String... statements) throws Exception {
    for (String sql : statements) {
      FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> query(client, sql), sql);
      assertTrue(e.getMessage().contains("refused: ") && e.getMessage().contains(what), sql + " -> " + e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
      assertAnswers(client);
    }
  }

  private static void assertAnswers(FlightSqlClient client) throws Exception {
    assertEquals(List.of("1000\t2997"), query(client, "SELECT count(*), sum(k) FROM \"t.npz\""));
  }

  @Test
  void fileFunctionsAreRefused() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      Files.writeString(elsewhere.resolve("secret.csv"), "a\n1\n");
      String spill = dir.getParent().toString();
      refused(client, "read_text", "SELECT * FROM read_text('.tmp/x')");
      refused(client, "glob", "SELECT * FROM glob('.tmp/*')", "SELECT * FROM glob('" + spill + "/*')");
      refused(client, "read_csv", "SELECT * FROM read_csv('" + elsewhere.resolve("secret.csv") + "')");
      refused(client, "read_blob", "SELECT * FROM read_blob('/etc/passwd')");
      refused(client, "/etc/passwd", "SELECT * FROM '/etc/passwd'");
      refused(client, "secret.csv", "SELECT * FROM \"" + elsewhere.resolve("secret.csv") + "\"");
      refused(client, "parquet_metadata", "SELECT * FROM parquet_metadata('x.parquet')");
    }
  }

  @Test
  void loggingAndProfilingAreRefusedAndTheServerLivesOn() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      refused(client, "enable_logging",
          "SELECT * FROM enable_logging(storage='file', storage_path='" + elsewhere + "')",
          "SELECT * FROM enable_logging(level='info')");
      refused(client, "duckdb_logs", "SELECT * FROM duckdb_logs()", "SELECT * FROM duckdb_logs",
          "SELECT * FROM duckdb_logs_parsed('QueryLog')");
      refused(client, "enable_profiling", "SELECT * FROM enable_profiling(save_location='" + elsewhere + "/p')");
      refused(client, "write_log", "SELECT write_log('x', level := 'error')");
      refused(client, "only queries", "PRAGMA enable_profiling", "SET enable_logging = true");
      assertEquals(List.of(), List.of(elsewhere.toFile().list((d, n) -> !n.equals("secret.csv"))));
    }
  }

  @Test
  void settingsPragmasAndExtensionsAreRefused() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      refused(client, "only queries", "SET memory_limit = '100GB'", "RESET memory_limit", "PRAGMA threads = 1",
          "SET enable_external_access = true", "SET lock_configuration = false", "CALL pragma_version()",
          "INSTALL httpfs", "LOAD httpfs", "FORCE INSTALL json", "USE system");
      refused(client, "current_setting", "SELECT current_setting('memory_limit')");
      refused(client, "duckdb_settings", "SELECT * FROM duckdb_settings()");
      refused(client, "duckdb_extensions", "SELECT * FROM duckdb_extensions()");
      refused(client, "duckdb_settings", "WITH duckdb_settings AS (SELECT * FROM duckdb_settings) SELECT 1");
    }
  }

  @Test
  void ddlAndDmlAreRefused() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      refused(client, "only queries", "CREATE TABLE x AS SELECT 1", "CREATE VIEW v AS SELECT 1",
          "CREATE MACRO m() AS 1", "INSERT INTO \"t.npz\" VALUES (1, 2)", "DROP TABLE \"t.npz\"",
          "COPY (SELECT 1) TO '" + elsewhere.resolve("out.csv") + "'", "ATTACH '" + elsewhere.resolve("x.db") + "'",
          "EXPORT DATABASE '" + elsewhere.resolve("e") + "'", "SET VARIABLE v = 1", "CHECKPOINT",
          "CREATE SEQUENCE s");
      FlightRuntimeException update = assertThrows(FlightRuntimeException.class,
          () -> client.executeUpdate("CREATE TABLE x AS SELECT 1", AUTH));
      assertEquals(FlightStatusCode.UNAUTHORIZED, update.status().code(), update.getMessage());
      assertAnswers(client);
      assertEquals(List.of(), List.of(elsewhere.toFile().list()).stream().filter(n -> !n.equals("secret.csv"))
          .toList(), "nothing written outside");
    }
  }

  /** The process's anonymous resident memory (heap, direct buffers, DuckDB's), in bytes. */
  private static long residentAnonymous() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("RssAnon:")) {
        return Long.parseLong(line.replaceAll("\\D+", "")) << 10;
      }
    }
    throw new IllegalStateException("no RssAnon in /proc/self/status");
  }

  @Test
  void resourcesAreBoundedAndTheServerAnswersAfter() throws Exception {
    String doubled = "SELECT 'xxxxxxxx' AS s";
    String listed = "SELECT [1, 2, 3, 4, 5, 6, 7, 8]::BIGINT[] AS s";
    for (int i = 0; i < 27; i++) {
      doubled = "SELECT s || s AS s FROM (" + doubled + ")";
      listed = "SELECT list_concat(s, s) AS s FROM (" + listed + ")";
    }
    AtomicBoolean running = new AtomicBoolean(true);
    long before = residentAnonymous();
    AtomicLong peak = new AtomicLong(before);
    Thread sampler = new Thread(() -> {
      while (running.get()) {
        try {
          peak.accumulateAndGet(residentAnonymous(), Math::max);
          Thread.sleep(5);
        } catch (Exception e) {
          return;
        }
      }
    });
    sampler.start();
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      // values whose size an argument sets: refused before they run
      refused(client, "range", "SELECT len(list(range(100000000)))");
      refused(client, "repeat", "SELECT length(repeat('x', 2000000000))");
      refused(client, "sleep_ms", "SELECT sleep_ms(100000)");
      // values built step by step: counted by DuckDB against --sql-memory
      for (String sql : List.of("SELECT length(s) FROM (" + doubled + ")", "SELECT len(s) FROM (" + listed + ")",
          "SELECT length(string_agg(a.x::VARCHAR, ',')) FROM \"big.npy\" AS a(x), range(20)",
          "SELECT max(x) FROM (SELECT list(a.x) AS x FROM \"big.npy\" AS a(x), range(10) GROUP BY a.x % 3)",
          "SELECT count(*) FROM (SELECT a.x FROM \"big.npy\" AS a(x), range(8) ORDER BY random())")) {
        FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> query(client, sql), sql);
        assertEquals(FlightStatusCode.RESOURCE_EXHAUSTED, e.status().code(), sql + " -> " + e.getMessage());
        assertAnswers(client);
      }
      // time: however a query spends it, it is interrupted at --sql-timeout and a little more
      for (String sql : List.of("SELECT count(*) FROM \"big.npy\" AS a(x), \"big.npy\" AS b(y) WHERE a.x + b.y < 0",
          "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
          "SELECT count(*) FROM range(1000000000000) WHERE hash(range) = 0")) {
        long start = System.nanoTime();
        FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> query(client, sql), sql);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(FlightStatusCode.CANCELLED, e.status().code(), sql + " -> " + e.getMessage());
        assertTrue(millis < TIMEOUT.toMillis() + 2_000, sql + " took " + millis + " ms");
        System.out.println("interrupted after " + millis + " ms (limit " + TIMEOUT.toMillis() + "): " + sql);
        assertAnswers(client);
      }
    } finally {
      running.set(false);
      sampler.join();
    }
    long growth = peak.get() - before;
    System.out.println("resident anonymous memory: " + (before >> 20) + " MiB before, peak " + (peak.get() >> 20)
        + " MiB, with --sql-memory " + (MEMORY >> 20) + " MiB");
    // the stated overhead: DuckDB's limit plus 320 MiB for the JVM's heap and Arrow's buffers of the answers
    // (what DuckDB did not count grew by gigabytes: 1 GiB strings, 100M-element lists)
    assertTrue(growth < MEMORY + (320L << 20), "resident memory grew by " + (growth >> 20) + " MiB");
    SqlServiceTest.awaitIdle(service);
  }

  @Test
  void longStatementsAndTooManyPreparedStatementsAreRefused() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      String huge = "SELECT 1" + " ".repeat(70_000);
      refused(client, "70008 characters, over the 65536", huge);
      FlightRuntimeException hugePrepared = assertThrows(FlightRuntimeException.class, () -> client.prepare(huge, AUTH));
      assertTrue(hugePrepared.getMessage().contains("over the 65536"), hugePrepared.getMessage());
      List<FlightSqlClient.PreparedStatement> open = new ArrayList<>();
      try {
        for (int i = 0; i < 8; i++) {
          open.add(client.prepare("SELECT " + i, AUTH));
        }
        FlightRuntimeException full = assertThrows(FlightRuntimeException.class, () -> client.prepare("SELECT 9", AUTH));
        assertEquals(FlightStatusCode.RESOURCE_EXHAUSTED, full.status().code(), full.getMessage());
        assertAnswers(client);
        open.remove(0).close(AUTH);
        open.add(client.prepare("SELECT 10", AUTH));
      } finally {
        for (FlightSqlClient.PreparedStatement statement : open) {
          statement.close(AUTH);
        }
      }
    }
  }

  @Test
  void concurrentSessionsSeeOnlyTheirOwnAnswers() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        int client = c;
        done.add(clients.submit(() -> {
          try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient sql = client(allocator)) {
            for (int q = 0; q < 5; q++) {
              assertEquals(List.of(String.valueOf(client * 100 + q)), query(sql, "SELECT " + (client * 100 + q)
                  + " FROM \"t.npz\" LIMIT 1"));
              refused(sql, "no served table", "SELECT * FROM \"t.npz #1\"");
              refused(sql, "duckdb_logs", "SELECT * FROM duckdb_logs");
              refused(sql, "current_query", "SELECT current_query()");
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      clients.shutdownNow();
    }
    SqlServiceTest.awaitIdle(service);
  }

  @Test
  void aClientThatLeavesMidwayLeaksNothingOnEitherSide() throws Exception {
    for (int round = 0; round < 3; round++) {
      try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
        FlightInfo info = client.execute("SELECT * FROM \"big.npy\"", AUTH);
        try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket(), AUTH)) {
          assertTrue(stream.next(), "a first batch");
          stream.cancel("the client has read enough", null);
        } catch (FlightRuntimeException cancelledOnClose) {
          // closing a stream the client cancelled may report the cancellation
        }
        FlightInfo unfetched = client.execute("SELECT * FROM \"big.npy\"", AUTH); // never fetched: timed out
        assertTrue(unfetched.getEndpoints().size() > 0);
        assertAnswers(client);
      } // the client's allocator closes only if it holds nothing
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos() + 5_000_000_000L;
    while (service.allocatedBytes() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0, service.allocatedBytes(), "the server holds nothing of the abandoned results");
  }

  @Test
  void aFetchTheClientCancelsStopsTheQueryOnTheServer() throws Exception {
    String slow = "SELECT count(*) FROM \"big.npy\" AS a(x), \"big.npy\" AS b(y) WHERE a.x + b.y < 0";
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      FlightSqlClient.PreparedStatement prepared = client.prepare(slow, AUTH);
      long start = System.nanoTime();
      FlightInfo info = prepared.execute(AUTH); // as the JDBC driver runs every query: DuckDB starts at the fetch
      assertTrue(System.nanoTime() - start < 1_000_000_000L, "the info comes before the query has run");
      FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket(), AUTH);
      Thread.sleep(500);
      long cancelled = System.nanoTime();
      stream.cancel("the client gives up", null);
      try {
        stream.close();
      } catch (Exception cancelledOnClose) {
        // the stream reports its cancellation
      }
      while (service.allocatedBytes() > 0 && System.nanoTime() - cancelled < 5_000_000_000L) {
        Thread.sleep(10);
      }
      long millis = (System.nanoTime() - cancelled) / 1_000_000;
      System.out.println("a cancelled fetch's query stopped on the server " + millis + " ms after the cancel");
      assertTrue(millis < 1_000, "the query ran on for " + millis + " ms after its fetch was cancelled");
      assertAnswers(client);
      prepared.close(AUTH);
    }
  }

  @Test
  void wrongAndMissingTokensAreRefused() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      FlightRuntimeException missing = assertThrows(FlightRuntimeException.class,
          () -> client.execute("SELECT 1"));
      assertEquals(CallStatus.UNAUTHENTICATED.code(), missing.status().code());
      FlightRuntimeException wrong = assertThrows(FlightRuntimeException.class, () -> client.execute("SELECT 1",
          new CredentialCallOption(new BearerCredentialWriter("nope"))));
      assertEquals(CallStatus.UNAUTHENTICATED.code(), wrong.status().code());
      assertThrows(FlightRuntimeException.class, () -> client.getTables(null, null, null, null, false));
      assertAnswers(client);
    }
  }

  @Test
  void theJdbcDriversTimeoutCancelAndEarlyCloseStopTheQuery() throws Exception {
    String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("jdbc.driver") + java.io.File.pathSeparator
        + Path.of(JdbcCancelProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String url = "jdbc:arrow-flight-sql://127.0.0.1:" + service.port() + "/?useEncryption=false&token=" + TOKEN;
    String slow = "SELECT count(*) FROM \"big.npy\" AS a(x), \"big.npy\" AS b(y) WHERE a.x + b.y < 0";
    Process process = new ProcessBuilder(javaCommand, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", classpath,
        JdbcCancelProbe.class.getName(), url, slow, "timeout", "cancel").redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), output);
    Process early = new ProcessBuilder(javaCommand, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", classpath,
        JdbcCancelProbe.class.getName(), url, "SELECT * FROM \"big.npy\"", "close").redirectErrorStream(true).start();
    output += new String(early.getInputStream().readAllBytes());
    assertEquals(0, early.waitFor(), output);
    List<String> lines = output.lines().filter(l -> l.matches("(timeout|cancel|close|next)\t.*")).toList();
    lines.forEach(line -> System.out.println("JDBC " + line));
    assertEquals(6, lines.size(), output);
    for (String line : lines) {
      String[] cells = line.split("\t");
      switch (cells[0]) {
        // stopped by the client, before the server's own limit of 5 s would
        case "timeout" -> assertTrue(cells[2].startsWith("stopped") && Long.parseLong(cells[1]) < 2_000 + 2_000, line);
        case "cancel" -> assertTrue(cells[2].startsWith("stopped") && Long.parseLong(cells[1]) < 1_500 + 2_000, line);
        case "close" -> assertTrue(cells[2].startsWith("first row 0"), line);
        default -> assertEquals("42", cells[1], line);
      }
    }
    SqlServiceTest.awaitIdle(service);
  }
}
