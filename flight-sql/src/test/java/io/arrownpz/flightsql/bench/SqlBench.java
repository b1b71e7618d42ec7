package io.arrownpz.flightsql.bench;

import io.arrownpz.flight.FlightService;
import io.arrownpz.flight.ServeOptions;
import io.arrownpz.flightsql.SqlOptions;
import io.arrownpz.flightsql.SqlService;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * {@code SELECT k, sum(v), count(*) FROM t GROUP BY k} over 10M rows: through {@code serve --sql} and the
 * Flight SQL JDBC driver, from the NPZ and from a Parquet file of the same data, against DuckDB's own JDBC
 * reading that Parquet file in process; time to the last row. Then the transfer of the whole table: a
 * Flight SQL {@code SELECT *} against serve's own DoGet of the same file. Cold rows first: each round reads
 * a copy of the file no one has read before (no kept mapping in the server, nothing of it in DuckDB; the
 * copies are in the page cache, just written). Then warm: the same files again, every contender having run
 * once; rounds interleave the contenders; medians; a cold row's ratio is to DuckDB's cold row. Run by
 * benchmarks/sql/run.
 *
 * <pre>SqlBench DIR JDBC_DRIVER_JAR ROUNDS</pre>
 */
public final class SqlBench {
  static final String QUERY = "SELECT k, sum(v), count(*) FROM %s GROUP BY k";
  /** The floors read as the server does: through mappings kept between reads, the server's being its own. */
  private static final io.arrownpz.cache.ReadCache MAPPINGS = io.arrownpz.cache.ReadCache.builder().build();

  private SqlBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path driverJar = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    Driver driver = (Driver) new URLClassLoader(new URL[] {driverJar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())
        .loadClass("org.apache.arrow.driver.jdbc.ArrowFlightJdbcDriver").getDeclaredConstructor().newInstance();
    try (BufferAllocator root = new RootAllocator()) {
      FlightService service = SqlService.start(dir, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
          .withLimits(8, 65_536, 4L << 30), SqlOptions.DEFAULTS.withMemoryLimit(4L << 30), root, w -> { });
      String url = "jdbc:arrow-flight-sql://127.0.0.1:" + service.port() + "/?useEncryption=false";
      try (Connection ours = driver.connect(url, new Properties());
           Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
           BufferAllocator clientMemory = new RootAllocator();
           FlightClient flight = FlightClient.builder(clientMemory, Location.forGrpcInsecure("127.0.0.1",
               service.port())).build()) {
        FlightSqlClient sql = new FlightSqlClient(flight);
        int[] round = {0};
        Map<String, Timed> contenders = new LinkedHashMap<>();
        // Cold: each round's query reads a copy no one has read before (round 0's copy warms the JIT).
        contenders.put("cold: serve --sql, NPZ, JDBC driver, a file's first query", () -> lastRow(ours,
            QUERY.formatted("\"cold-" + round[0] + ".npz\"")));
        contenders.put("cold: DuckDB JDBC in process, a Parquet file's first read", () -> lastRow(duckdb,
            QUERY.formatted("read_parquet('" + dir.resolve("cold-" + round[0] + ".parquet") + "')")));
        contenders.put("serve --sql, NPZ, JDBC driver", () -> lastRow(ours, QUERY.formatted("\"t.npz\"")));
        contenders.put("serve --sql, Parquet, JDBC driver", () -> lastRow(ours, QUERY.formatted("\"t.parquet\"")));
        // The floors: a query's round trip with no table (GetFlightInfo, a connection, DoGet), and DuckDB's own
        // GROUP BY over our vectors in this process, without the network or the driver.
        contenders.put("serve --sql, SELECT 1, JDBC driver (round trip)", () -> lastRow(ours, "SELECT 1, 2"));
        // The same four calls the driver makes (prepare, GetFlightInfo, DoGet, close), from Arrow's own client:
        // what the driver adds on top of the protocol.
        contenders.put("serve --sql, NPZ, FlightSqlClient prepared", () -> prepared(sql, QUERY.formatted("\"t.npz\"")));
        contenders.put("serve --sql, SELECT 1, FlightSqlClient prepared (round trip)", () -> prepared(sql, "SELECT 1, 2"));
        contenders.put("DuckDB over our vectors in process (no network)", () -> inProcess(dir, root, duckdb, QUERY, false));
        contenders.put("DuckDB SELECT * over our vectors in process, as Arrow (transfer floor)",
            () -> inProcess(dir, root, duckdb, "SELECT * FROM %s", true));
        contenders.put("DuckDB JDBC in process, Parquet", () -> lastRow(duckdb,
            QUERY.formatted("read_parquet('" + dir.resolve("t.parquet") + "')")));
        contenders.put("Flight SQL SELECT * (transfer, its endpoints fetched at once)", () -> drainAll(sql,
            sql.execute("SELECT * FROM \"t.npz\"")));
        contenders.put("Flight SQL SELECT * (transfer, its endpoints fetched one after another)", () -> {
          long rows = 0;
          for (org.apache.arrow.flight.FlightEndpoint endpoint : sql.execute("SELECT * FROM \"t.npz\"").getEndpoints()) {
            rows += drain(sql.getStream(endpoint.getTicket()));
          }
          return rows;
        });
        contenders.put("serve DoGet of t.npz (transfer)", () -> {
          FlightInfo info = flight.getInfo(FlightDescriptor.path("t.npz"));
          Ticket ticket = info.getEndpoints().get(0).getTicket();
          return drain(flight.getStream(ticket));
        });
        Map<String, List<Double>> times = new LinkedHashMap<>();
        contenders.keySet().forEach(c -> times.put(c, new ArrayList<>()));
        for (int r = 0; r <= rounds; r++) {
          round[0] = r;
          List<String> order = new ArrayList<>(contenders.keySet());
          java.util.Collections.rotate(order, r);
          for (String c : order) {
            long start = System.nanoTime();
            long rows = contenders.get(c).run();
            double ms = (System.nanoTime() - start) / 1e6;
            if (r > 0) { // round 0 warms each contender
              times.get(c).add(ms);
            }
            if (rows <= 0) {
              throw new IllegalStateException(c + ": no rows");
            }
          }
        }
        double duck = median(times.get("DuckDB JDBC in process, Parquet"));
        double coldDuck = median(times.get("cold: DuckDB JDBC in process, a Parquet file's first read"));
        double bytes = Files.size(dir.resolve("t.npz"));
        System.out.println("| contender | median ms | ratio to DuckDB in process (cold to cold) | MB/s |");
        System.out.println("| --- | --- | --- | --- |");
        for (String c : contenders.keySet()) {
          double ms = median(times.get(c));
          boolean transfer = c.contains("transfer");  // the transfer rows and their floor
          System.out.println(String.format(Locale.ROOT, "| %s | %.1f | %s | %s |", c, ms,
              transfer ? "" : String.format(Locale.ROOT, "%.2f", ms / (c.startsWith("cold") ? coldDuck : duck)),
              transfer ? String.format(Locale.ROOT, "%.0f", bytes / 1e6 / (ms / 1e3)) : ""));
        }
      } finally {
        service.close();
      }
    }
  }

  private static long prepared(FlightSqlClient sql, String query) throws Exception {
    try (FlightSqlClient.PreparedStatement statement = sql.prepare(query)) {
      return drain(sql.getStream(statement.execute().getEndpoints().get(0).getTicket()));
    }
  }

  @FunctionalInterface
  interface Timed {
    long run() throws Exception;
  }

  /**
   * DuckDB's answer to {@code query} over the NPZ's vectors registered as a C stream in this process: to the
   * last row, or (with {@code asArrow}) every batch of the result exported as Arrow, as the server sends it.
   */
  private static long inProcess(Path dir, BufferAllocator root, Connection database, String query, boolean asArrow)
      throws Exception {
    try (BufferAllocator allocator = root.newChildAllocator("in process", 0, Long.MAX_VALUE);
         org.apache.arrow.vector.ipc.ArrowReader reader = io.arrownpz.NumpyTables.openReader(dir.resolve("t.npz"),
             allocator, io.arrownpz.ReadOptions.DEFAULTS.withCache(MAPPINGS), 1 << 20);
         org.apache.arrow.c.ArrowArrayStream stream = org.apache.arrow.c.ArrowArrayStream.allocateNew(allocator);
         Connection duckdb = ((org.duckdb.DuckDBConnection) database).duplicate()) {
      org.apache.arrow.c.Data.exportArrayStream(allocator, reader, stream);
      ((org.duckdb.DuckDBConnection) duckdb).registerArrowStream("t", stream);
      long rows = 0;
      if (asArrow) {
        try (Statement statement = duckdb.createStatement();
             ResultSet result = statement.executeQuery(query.formatted("t"));
             org.apache.arrow.vector.ipc.ArrowReader batches = (org.apache.arrow.vector.ipc.ArrowReader)
                 ((org.duckdb.DuckDBResultSet) result).arrowExportStream(allocator, 131_072)) {
          while (batches.loadNextBatch()) {
            rows += batches.getVectorSchemaRoot().getRowCount();
          }
        }
      } else {
        rows = lastRow(duckdb, query.formatted("t"));
      }
      duckdb.close();
      return rows;
    }
  }

  private static long lastRow(Connection connection, String sql) throws Exception {
    long rows = 0;
    try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        result.getDouble(2);
        rows++;
      }
    }
    return rows;
  }

  /** Every endpoint of {@code info} fetched at once, as a client that reads in parallel does; the rows. */
  private static long drainAll(FlightSqlClient sql, FlightInfo info) throws Exception {
    java.util.concurrent.ExecutorService fetchers = java.util.concurrent.Executors.newFixedThreadPool(
        info.getEndpoints().size());
    try {
      List<java.util.concurrent.Future<Long>> parts = new ArrayList<>();
      for (org.apache.arrow.flight.FlightEndpoint endpoint : info.getEndpoints()) {
        parts.add(fetchers.submit(() -> drain(sql.getStream(endpoint.getTicket()))));
      }
      long rows = 0;
      for (java.util.concurrent.Future<Long> part : parts) {
        rows += part.get();
      }
      return rows;
    } finally {
      fetchers.shutdownNow();
    }
  }

  private static long drain(FlightStream stream) throws Exception {
    long rows = 0;
    try (stream) {
      while (stream.next()) {
        rows += stream.getRoot().getRowCount();
      }
    }
    return rows;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
