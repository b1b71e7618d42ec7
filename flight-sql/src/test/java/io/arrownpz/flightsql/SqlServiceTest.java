package io.arrownpz.flightsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.flight.FlightService;
import io.arrownpz.flight.ServeOptions;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL over served NumPy files: the JDBC driver in a JVM of its own, pyarrow.flight, Java's Flight SQL
 * client, each answer equal to DuckDB's own over the same data written as Parquet; every refusal; limits,
 * cancellation, and 16 clients at once with every buffer given back.
 */
class SqlServiceTest {
  @TempDir static Path dir;
  private static BufferAllocator root;
  private static FlightService service;

  static final String BY_KEY = "SELECT k, round(sum(v), 9) AS s, count(*) AS n FROM %s GROUP BY k ORDER BY k";
  static final String JOINED = "SELECT name, count(*) AS n, round(sum(v), 9) AS s FROM %s AS a JOIN %s AS b USING (k) "
      + "WHERE k < 4 GROUP BY name ORDER BY name";

  @BeforeAll
  static void start() throws Exception {
    PythonPeer.require("numpy", "pyarrow", "static_frame", "pandas", "polars", "duckdb");
    PythonPeer.run("""
        import sys, os, numpy as np, pyarrow as pa, pyarrow.parquet as pq, static_frame as sf
        d = sys.argv[1]
        rng = np.random.default_rng(5)
        k = rng.integers(0, 50, 200_000).astype(np.int64)
        v = rng.standard_normal(200_000)
        np.savez(d + '/t.npz', k=k, v=v)
        pq.write_table(pa.table({'k': k, 'v': v}), d + '/t.parquet')
        import pyarrow.feather as feather
        feather.write_feather(pa.table({'k': k, 'v': v}), d + '/t.feather')
        np.save(d + '/empty.npy', np.zeros(0))
        np.save(d + '/big-endian.npy', np.arange(5, dtype='>i8'))
        import pandas as pd, polars as pl, duckdb
        pd.DataFrame({'k': k, 'v': v}).to_parquet(d + '/pandas.parquet')
        pl.DataFrame({'k': k, 'v': v}).write_parquet(d + '/polars.parquet')
        duckdb.sql(f"COPY (SELECT * FROM read_parquet('{d}/t.parquet')) TO '{d}/duckdb.parquet'")
        np.save(d + '/big.npy', np.arange(2_500_000, dtype=np.int64))
        np.savez(d + '/sets.npz', small=np.arange(3, dtype=np.int64), large=np.arange(7, dtype=np.float64))
        keys = np.arange(50, dtype=np.int64)
        names = np.array(['key%02d' % i for i in keys])
        np.savez(d + '/keys.npz', k=keys, name=names)
        pq.write_table(pa.table({'k': keys, 'name': names}), d + '/keys.parquet')
        os.makedirs(d + '/frames')
        f = sf.Frame.from_fields([['EU', 'US', 'EU', 'APAC', 'US'], [1.5, 2.25, 3.0, 4.5, 10.0]],
                                 columns=['region', 'price'],
                                 index=sf.Index(['mon', 'tue', 'wed', 'thu', 'fri'], name='day'))
        f.to_npz(d + '/frames/prices.npz')
        for year in (2023, 2024):
            os.makedirs(d + '/sales/year=%d' % year)
            np.savez(d + '/sales/year=%d/part-0.npz' % year, amount=np.arange(10, dtype=np.int64) + year)
        """, dir.toString());
    root = new RootAllocator();
    // packed events: pyarrow's Feather of the events, one row per key with list columns (Packer), as an NPZ
    io.arrownpz.bridge.Converter converter = new io.arrownpz.bridge.Converter(root);
    try (VectorSchemaRoot events = converter.read(dir.resolve("t.feather"), io.arrownpz.bridge.FileFormat.FEATHER,
             io.arrownpz.bridge.ConvertOptions.DEFAULTS);
         VectorSchemaRoot packed = io.arrownpz.pack.Packer.pack(events, root, io.arrownpz.pack.PackOptions.byKeys("k"))) {
      converter.write(packed, dir.resolve("events.npz"), io.arrownpz.bridge.FileFormat.NPZ,
          io.arrownpz.bridge.ConvertOptions.DEFAULTS);
    }
    // SQL queries take the service's stream slots: 16 clients at once need 16
    service = SqlService.start(dir, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0).withLimits(16, 65_536, 1L << 30),
        SqlOptions.DEFAULTS, root, w -> { });
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    root.close(); // throws if a buffer of any query was left behind
  }

  /** DuckDB's own answer, in process, reading the Parquet files. */
  static List<String> duckdbOverParquet(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
         ResultSet rows = s.executeQuery(sql)) {
      return lines(rows);
    }
  }

  static List<String> lines(ResultSet rows) throws Exception {
    List<String> out = new ArrayList<>();
    ResultSetMetaData meta = rows.getMetaData();
    while (rows.next()) {
      StringBuilder line = new StringBuilder();
      for (int c = 1; c <= meta.getColumnCount(); c++) {
        line.append(c > 1 ? "\t" : "").append(rows.getString(c));
      }
      out.add(line.toString());
    }
    return out;
  }

  static String parquet(String name) {
    return "read_parquet('" + dir.resolve(name) + "')";
  }

  /** Lines equal cell by cell, numbers to 1e-9 of their size (drivers spell doubles differently). */
  static void assertSameRows(List<String> expected, List<String> actual) {
    assertEquals(expected.size(), actual.size(), "rows: " + expected + " against " + actual);
    for (int i = 0; i < expected.size(); i++) {
      String[] a = expected.get(i).split("\t");
      String[] b = actual.get(i).split("\t");
      assertEquals(a.length, b.length, expected.get(i) + " against " + actual.get(i));
      for (int c = 0; c < a.length; c++) {
        try {
          double x = Double.parseDouble(a[c]);
          double y = Double.parseDouble(b[c]);
          assertEquals(x, y, 1e-9 * Math.max(1, Math.abs(x)), expected.get(i) + " against " + actual.get(i));
        } catch (NumberFormatException text) {
          assertEquals(a[c], b[c], expected.get(i) + " against " + actual.get(i));
        }
      }
    }
  }

  static FlightSqlClient client(BufferAllocator allocator) {
    return new FlightSqlClient(FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", service.port()))
        .build());
  }

  /** The rows of every endpoint of {@code sql}'s result, endpoint after endpoint. */
  static List<String> query(FlightSqlClient client, String sql) throws Exception {
    FlightInfo info = client.execute(sql);
    List<String> out = new ArrayList<>();
    for (org.apache.arrow.flight.FlightEndpoint endpoint : info.getEndpoints()) {
      out.addAll(rows(client.getStream(endpoint.getTicket())));
    }
    return out;
  }

  /** The rows of one endpoint's stream, each a line of tab-separated values; closes the stream. */
  static List<String> rows(FlightStream stream) throws Exception {
    List<String> out = new ArrayList<>();
    try (stream) {
      while (stream.next()) {
        VectorSchemaRoot batch = stream.getRoot();
        for (int r = 0; r < batch.getRowCount(); r++) {
          StringBuilder line = new StringBuilder();
          for (int c = 0; c < batch.getFieldVectors().size(); c++) {
            line.append(c > 0 ? "\t" : "").append(batch.getVector(c).getObject(r));
          }
          out.add(line.toString());
        }
      }
    }
    return out;
  }

  @Test
  void theJdbcDriverInAJvmOfItsOwnListsTablesAndGetsDuckdbsAnswers() throws Exception {
    String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("jdbc.driver") + java.io.File.pathSeparator
        + Path.of(JdbcProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String url = "jdbc:arrow-flight-sql://127.0.0.1:" + service.port() + "/?useEncryption=false";
    Process process = new ProcessBuilder(javaCommand, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", classpath,
        JdbcProbe.class.getName(), url, "frames/prices.npz", BY_KEY.formatted("\"t.npz\""),
        JOINED.formatted("\"t.npz\"", "\"keys.npz\""), "?=7:SELECT count(*), round(sum(v), 9) FROM \"t.npz\" WHERE k = ?",
        "SELECT * FROM \"frames/prices.npz\" LIMIT 100", "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT current_connection_id()", "SELECT current_connection_id()")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), output);
    List<String> parts = List.of(output.split("--\n", -1));
    List<String> listing = List.of(parts.get(0).split("\n"));
    assertTrue(listing.contains("table\tt.npz\tTABLE") && listing.contains("table\tframes/prices.npz\tTABLE"), output);
    assertTrue(listing.contains("column\tday\tVARCHAR") || listing.stream().anyMatch(l -> l.startsWith("column\tday\t")),
        output);
    assertTrue(listing.stream().anyMatch(l -> l.startsWith("column\tprice\t")), output);
    assertSameRows(duckdbOverParquet(BY_KEY.formatted(parquet("t.parquet"))), List.of(parts.get(1).strip().split("\n")));
    assertSameRows(duckdbOverParquet(JOINED.formatted(parquet("t.parquet"), parquet("keys.parquet"))),
        List.of(parts.get(2).strip().split("\n")));
    assertSameRows(duckdbOverParquet("SELECT count(*), round(sum(v), 9) FROM " + parquet("t.parquet") + " WHERE k = 7"),
        List.of(parts.get(3).strip().split("\n")));
    assertEquals(List.of("mon\tEU\t1.5", "tue\tUS\t2.25", "wed\tEU\t3.0", "thu\tAPAC\t4.5", "fri\tUS\t10.0"),
        List.of(parts.get(4).strip().split("\n")), "a frame: its index field, then its columns");
    assertTrue(parts.get(5).startsWith("ERROR: ") && parts.get(5).contains("refused: table function read_csv"),
        parts.get(5));
    assertEquals(parts.get(6), parts.get(7), "the driver's connection is one session: one DuckDB connection");
  }

  @Test
  void aSessionsQueriesRunOnItsConnectionUntilTheClientClosesIt() throws Exception {
    String connection = "SELECT current_connection_id()";
    try (BufferAllocator allocator = new RootAllocator();
         FlightSqlClient client = new FlightSqlClient(FlightClient.builder(allocator,
             Location.forGrpcInsecure("127.0.0.1", service.port()))
             .intercept(new org.apache.arrow.flight.client.ClientCookieMiddleware.Factory()).build());
         FlightSqlClient cookieless = client(allocator)) {
      query(client, connection); // starts the session: its cookie comes with the answer
      String first = query(client, connection).get(0);
      assertEquals(first, query(client, connection).get(0), "a client that keeps the cookie stays in its session");
      assertTrue(!query(cookieless, connection).get(0).equals(first), "another client, another session");
      assertEquals(org.apache.arrow.flight.CloseSessionResult.Status.CLOSED,
          client.closeSession(new org.apache.arrow.flight.CloseSessionRequest()).getStatus());
      assertTrue(!query(client, connection).get(0).equals(first), "after CloseSession, a new session");
      assertEquals(java.util.Map.of(), client.getSessionOptions(
          new org.apache.arrow.flight.GetSessionOptionsRequest()).getSessionOptions());
      assertTrue(client.setSessionOptions(new org.apache.arrow.flight.SetSessionOptionsRequest(java.util.Map.of(
          "catalog", org.apache.arrow.flight.SessionOptionValueFactory.makeSessionOptionValue("x")))).hasErrors(),
          "no session option is taken");
    }
    awaitServiceIdle();
  }

  @Test
  void pyarrowFlightRunsAStatement() throws Exception {
    PythonPeer.require("pyarrow", "duckdb");
    String sql = BY_KEY.formatted("\"t.npz\"");
    String answer = PythonPeer.run("""
        import sys, pyarrow.flight as flight
        def field(number, data):  # protobuf: a length-delimited field
            n = len(data); size = b''
            while True:
                b = n & 0x7f; n >>= 7
                size += bytes([b | (0x80 if n else 0)])
                if not n: break
            return bytes([number << 3 | 2]) + size + data
        query = field(1, sys.argv[2].encode())
        command = field(1, b'type.googleapis.com/arrow.flight.protocol.sql.CommandStatementQuery') + field(2, query)
        client = flight.connect('grpc://127.0.0.1:' + sys.argv[1])
        info = client.get_flight_info(flight.FlightDescriptor.for_command(command))
        table = client.do_get(info.endpoints[0].ticket).read_all()
        for row in zip(*[c.to_pylist() for c in table.columns]):
            print('\\t'.join(str(x) for x in row))
        """, String.valueOf(service.port()), sql).strip();
    assertSameRows(duckdbOverParquet(BY_KEY.formatted(parquet("t.parquet"))), List.of(answer.split("\n")));
  }

  @Test
  void javasFlightSqlClientAndAdbcGetTheSameAnswers() throws Exception {
    List<String> expected = duckdbOverParquet(JOINED.formatted(parquet("t.parquet"), parquet("keys.parquet")));
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      assertSameRows(expected, query(client, JOINED.formatted("\"t.npz\"", "\"keys.npz\"")));
    }
    try (BufferAllocator allocator = new RootAllocator();
         org.apache.arrow.adbc.core.AdbcDatabase database = new org.apache.arrow.adbc.driver.flightsql.FlightSqlDriver(
             allocator).open(java.util.Map.of("uri", "grpc://127.0.0.1:" + service.port()));
         org.apache.arrow.adbc.core.AdbcConnection connection = database.connect();
         org.apache.arrow.adbc.core.AdbcStatement statement = connection.createStatement()) {
      statement.setSqlQuery(JOINED.formatted("\"t.npz\"", "\"keys.npz\""));
      List<String> rows = new ArrayList<>();
      try (org.apache.arrow.adbc.core.AdbcStatement.QueryResult result = statement.executeQuery()) {
        while (result.getReader().loadNextBatch()) {
          VectorSchemaRoot batch = result.getReader().getVectorSchemaRoot();
          for (int r = 0; r < batch.getRowCount(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < batch.getFieldVectors().size(); c++) {
              line.append(c > 0 ? "\t" : "").append(batch.getVector(c).getObject(r));
            }
            rows.add(line.toString());
          }
        }
      }
      assertSameRows(expected, rows);
    }
  }

  @Test
  void tablesOfEveryKindAndATableNamedTwiceGetDuckdbsAnswers() throws Exception {
    String twice = "SELECT a.k, count(*) AS n FROM %1$s AS a JOIN (SELECT k, max(v) AS m FROM %1$s GROUP BY k) AS b "
        + "ON a.k = b.k AND a.v = b.m GROUP BY a.k ORDER BY a.k";
    String thrice = "SELECT count(*) FROM %1$s WHERE v > (SELECT avg(v) FROM %1$s) AND k IN (SELECT k FROM %1$s "
        + "WHERE v > 3)";
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      for (String table : List.of("\"t.npz\"", "\"t.parquet\"", "\"t.feather\"", "\"pandas.parquet\"",
          "\"polars.parquet\"", "\"duckdb.parquet\"")) {
        assertSameRows(duckdbOverParquet(BY_KEY.formatted(parquet("t.parquet"))), query(client, BY_KEY.formatted(table)));
        assertSameRows(duckdbOverParquet(twice.formatted(parquet("t.parquet"))), query(client, twice.formatted(table)));
        assertSameRows(duckdbOverParquet(thrice.formatted(parquet("t.parquet"))),
            query(client, thrice.formatted(table)));
      }
      // a common table expression of a served table's name is what the query means by that name
      assertEquals(List.of("1"), query(client,
          "WITH \"keys.npz\" AS (SELECT 1 AS k) SELECT count(*) FROM \"keys.npz\" AS a, \"keys.npz\" AS b"));
      assertEquals(List.of("0\tnull"), query(client, "SELECT count(*), sum(COLUMNS(*)) FROM \"empty.npy\""));
      assertEquals(List.of("5\t10\t4"), query(client, "SELECT count(*), sum(COLUMNS(*)), max(COLUMNS(*)) FROM "
          + "\"big-endian.npy\""));
      // packed events: a row per key, the values a list column, unnested by DuckDB
      assertEquals(List.of("50\t200000"), query(client, "SELECT count(*), sum(len(v)) FROM \"events.npz\""));
      assertSameRows(duckdbOverParquet(BY_KEY.formatted(parquet("t.parquet"))), query(client, BY_KEY.formatted(
          "(SELECT k, unnest(v) AS v FROM \"events.npz\")")));
      // an NPZ whose arrays differ in length: a table per member, joined to itself
      assertEquals(List.of("3\t7\t21"), query(client, "SELECT (SELECT count(*) FROM \"sets.npz/small\"), "
          + "(SELECT count(*) FROM \"sets.npz/large\"), count(*) FROM \"sets.npz/small\", \"sets.npz/large\""));
      // more rows than one batch of a table: 2.5M, in batches of 1M
      assertEquals(List.of("2500000\t3124998750000\t2500000"), query(client,
          "SELECT count(*), sum(COLUMNS(*)), (SELECT count(*) FROM \"big.npy\") FROM \"big.npy\""));
    }
    awaitServiceIdle();
  }

  @Test
  void aLongResultHasEndpointsFetchedAtOnceAndAShortOneItsSize() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      FlightInfo small = client.execute(BY_KEY.formatted("\"t.npz\""));
      assertEquals(1, small.getEndpoints().size());
      assertEquals(50, small.getRecords(), "a result that ended within the batches read ahead: its rows");
      assertTrue(small.getBytes() > 50 * 3 * 8, "and its bytes: " + small.getBytes());
      assertSameRows(duckdbOverParquet(BY_KEY.formatted(parquet("t.parquet"))),
          rows(client.getStream(small.getEndpoints().get(0).getTicket())));

      FlightInfo none = client.execute("SELECT * FROM \"big.npy\" WHERE false");
      assertEquals(1, none.getEndpoints().size());
      assertEquals(0, none.getRecords(), "a result of no rows: known at once");
      assertEquals(List.of(), rows(client.getStream(none.getEndpoints().get(0).getTicket())));
      FlightInfo emptyFile = client.execute("SELECT * FROM \"empty.npy\"");
      assertEquals(0, emptyFile.getRecords());
      assertEquals(List.of(), rows(client.getStream(emptyFile.getEndpoints().get(0).getTicket())));

      FlightInfo large = client.execute("SELECT * FROM \"big.npy\"");
      assertTrue(large.getEndpoints().size() >= 2, "endpoints: " + large.getEndpoints().size());
      assertEquals(-1, large.getRecords());
      ExecutorService fetchers = Executors.newFixedThreadPool(large.getEndpoints().size());
      try {
        List<Future<long[]>> parts = new ArrayList<>();
        for (org.apache.arrow.flight.FlightEndpoint endpoint : large.getEndpoints()) {
          parts.add(fetchers.submit(() -> {
            long rows = 0;
            long sum = 0;
            try (FlightStream stream = client.getStream(endpoint.getTicket())) {
              while (stream.next()) {
                org.apache.arrow.vector.BigIntVector v = (org.apache.arrow.vector.BigIntVector) stream.getRoot()
                    .getVector(0);
                for (int r = 0; r < stream.getRoot().getRowCount(); r++) {
                  sum += v.get(r);
                }
                rows += stream.getRoot().getRowCount();
              }
            }
            return new long[] {rows, sum};
          }));
        }
        long rows = 0;
        long sum = 0;
        int busy = 0;
        for (Future<long[]> part : parts) {
          rows += part.get()[0];
          sum += part.get()[1];
          busy += part.get()[0] > 0 ? 1 : 0;
        }
        assertEquals(2_500_000, rows, "every row, once, across the endpoints");
        assertEquals(2_500_000L * 2_499_999 / 2, sum);
        assertTrue(busy >= 1, "rows came");
      } finally {
        fetchers.shutdownNow();
      }

      // a client that fetches one endpoint and cancels the rest gives the result back
      FlightInfo abandoned = client.execute("SELECT * FROM \"big.npy\"");
      try (FlightStream first = client.getStream(abandoned.getEndpoints().get(0).getTicket())) {
        assertTrue(first.next());
      }
      assertEquals(CancelStatus.CANCELLED, client.cancelFlightInfo(new CancelFlightInfoRequest(abandoned)).getStatus());
    }
    awaitServiceIdle();
  }

  @Test
  void aPartitionedFolderIsOneTableWithItsKeys() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      assertEquals(List.of("2023\t10\t20275", "2024\t10\t20285"),
          query(client, "SELECT year, count(*), sum(amount) FROM \"sales\" GROUP BY year ORDER BY year"));
    }
  }

  @Test
  void sqlReadsNothingButTheServedDatasets() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      for (String refused : List.of("COPY (SELECT 1) TO '" + dir.resolve("out.csv") + "'",
          "ATTACH '" + dir.resolve("x.db") + "'", "INSTALL httpfs", "LOAD httpfs", "SET memory_limit = '100GB'",
          "PRAGMA threads = 1", "CREATE TABLE x AS SELECT 1", "SET enable_external_access = true")) {
        FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> query(client, refused), refused);
        assertTrue(e.getMessage().contains("only queries are answered"), refused + ": " + e.getMessage());
      }
      for (String refused : List.of("SELECT * FROM read_csv('/etc/passwd')",
          "SELECT * FROM " + parquet("t.parquet"), "SELECT * FROM '" + dir.resolve("t.parquet") + "'")) {
        FlightRuntimeException e = assertThrows(FlightRuntimeException.class, () -> query(client, refused), refused);
        assertTrue(e.getMessage().contains("refused: "), refused + ": " + e.getMessage());
      }
      FlightRuntimeException unknown = assertThrows(FlightRuntimeException.class,
          () -> query(client, "SELECT * FROM \"nope.npz\""));
      assertTrue(unknown.getMessage().contains("nope.npz"), unknown.getMessage());
      assertTrue(!java.nio.file.Files.exists(dir.resolve("out.csv")) && !java.nio.file.Files.exists(dir.resolve("x.db")));
    }
  }

  @Test
  void aClientCancelsAStreamingQueryAndItsMemoryIsFreed() throws Exception {
    try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
      FlightInfo info = client.execute("SELECT range AS i, range * 2 AS j FROM range(2000000000)");
      try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
        assertTrue(stream.next(), "a first batch");
        assertEquals(CancelStatus.CANCELLED, client.cancelFlightInfo(new CancelFlightInfoRequest(info)).getStatus());
        assertThrows(Exception.class, () -> {
          while (stream.next()) {
            // the rest, until the server's cancellation reaches the stream
          }
        });
      } catch (FlightRuntimeException closedByCancel) {
        // closing a stream the server ended may report it
      }
    }
    awaitServiceIdle();
  }

  @Test
  void sixteenClientsAtOnceGetTheSameAnswers() throws Exception {
    List<String> expected = duckdbOverParquet(BY_KEY.formatted(parquet("t.parquet")));
    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        done.add(clients.submit(() -> {
          try (BufferAllocator allocator = new RootAllocator(); FlightSqlClient client = client(allocator)) {
            for (int q = 0; q < 3; q++) {
              assertSameRows(expected, query(client, BY_KEY.formatted("\"t.npz\"")));
            }
          }
          return null;
        }));
      }
      Exception first = null;
      for (Future<?> f : done) {
        try {
          f.get(); // every client to its end before any failure is told, so none runs on into the next test
        } catch (java.util.concurrent.ExecutionException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      clients.shutdownNow();
    }
    awaitServiceIdle();
  }

  /** Waits until the service holds no buffer of any query (views of mapped files included). */
  static void awaitServiceIdle() throws InterruptedException {
    awaitIdle(service);
  }

  /** Waits until {@code service} holds no buffer of any query (views of mapped files included). */
  static void awaitIdle(FlightService service) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (service.allocatedBytes() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, service.allocatedBytes(), "every query's buffers given back");
  }
}
