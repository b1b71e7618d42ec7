package io.arrownpz.benchmarks;

import io.arrownpz.bridge.TableReader;
import io.arrownpz.pack.PackOptions;
import io.arrownpz.pack.Packer;
import io.arrownpz.pack.UnpackOptions;
import io.arrownpz.pack.Unpacker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Packing 10 million events (6 columns, about 6 events per group) into one row per group, sorted and
 * shuffled, against DuckDB doing {@code list(... ORDER BY Timestamp) ... GROUP BY GroupID} on the same
 * Arrow table in the same process (scanned through the C stream interface in batches of 128 Ki rows, so that it
 * can use both cores; its result read back as Arrow); and unpacking, against DuckDB's UNNEST of the same packed table. Both sides start from Arrow
 * memory and end with an Arrow table.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx8g",
    "-Darrow.enable_unsafe_memory_access=true", "-Darrow.enable_null_check_for_get=false"})
@State(Scope.Benchmark)
public class PackBenchmark {
  @Param({"10000000"})
  int rows;

  @Param({"sorted", "shuffled"})
  String input;

  private static final String DUCKDB_PACK = "SELECT GroupID, list(EventID ORDER BY \"Timestamp\") AS EventID, "
      + "list(EventName ORDER BY \"Timestamp\") AS EventName, list(\"Timestamp\" ORDER BY \"Timestamp\") AS \"Timestamp\", "
      + "list(UserID ORDER BY \"Timestamp\") AS UserID, list(\"Value\" ORDER BY \"Timestamp\") AS \"Value\" "
      + "FROM events GROUP BY GroupID";
  /** The same without ordering events, beside our pack without --order-by. */
  private static final String DUCKDB_PACK_UNORDERED = "SELECT GroupID, list(EventID) AS EventID, "
      + "list(EventName) AS EventName, list(\"Timestamp\") AS \"Timestamp\", list(UserID) AS UserID, "
      + "list(\"Value\") AS \"Value\" FROM events GROUP BY GroupID";
  private static final String DUCKDB_UNNEST = "SELECT GroupID, UNNEST(EventID) AS EventID, UNNEST(EventName) AS "
      + "EventName, UNNEST(\"Timestamp\") AS \"Timestamp\", UNNEST(UserID) AS UserID, UNNEST(\"Value\") AS \"Value\" "
      + "FROM packed";

  private static final int BATCH_ROWS = 1 << 17;

  private BufferAllocator allocator;
  private VectorSchemaRoot events;
  private VectorSchemaRoot packed;
  private Connection duckdb;
  private final PackOptions options = PackOptions.byKeys("GroupID").orderBy("Timestamp");

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    allocator = new RootAllocator();
    events = Events.generate(allocator, rows, input.equals("shuffled"), 42);
    packed = Packer.pack(events, allocator, options);
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    duckdb.close();
    packed.close();
    events.close();
    allocator.close();
  }

  @Benchmark
  public int pack() {
    try (VectorSchemaRoot result = Packer.pack(events, allocator, options)) {
      return result.getRowCount();
    }
  }

  @Benchmark
  public int packUnordered() {
    try (VectorSchemaRoot result = Packer.pack(events, allocator, PackOptions.byKeys("GroupID"))) {
      return result.getRowCount();
    }
  }

  @Benchmark
  public long duckdbPackUnordered() throws Exception {
    return duckdb(events, "events", DUCKDB_PACK_UNORDERED);
  }

  @Benchmark
  public int unpack() {
    try (VectorSchemaRoot result = Unpacker.unpack(packed, allocator, UnpackOptions.DEFAULT)) {
      return result.getRowCount();
    }
  }

  @Benchmark
  public long duckdbPack() throws Exception {
    return duckdb(events, "events", DUCKDB_PACK);
  }

  @Benchmark
  public long duckdbUnnest() throws Exception {
    return duckdb(packed, "packed", DUCKDB_UNNEST);
  }

  /** Registers {@code table} with DuckDB, runs {@code sql} and reads its whole result as Arrow batches. */
  private long duckdb(VectorSchemaRoot table, String name, String sql) throws Exception {
    long rowsOut = 0;
    try (BufferAllocator scan = allocator.newChildAllocator("duckdb-scan", 0, Long.MAX_VALUE);
         ArrowReader reader = new TableReader(table, BATCH_ROWS, scan);
         ArrowArrayStream stream = ArrowArrayStream.allocateNew(scan)) {
      Data.exportArrayStream(scan, reader, stream);
      ((DuckDBConnection) duckdb).registerArrowStream(name, stream);
      try (BufferAllocator out = allocator.newChildAllocator("duckdb-result", 0, Long.MAX_VALUE);
           Statement statement = duckdb.createStatement();
           ResultSet result = statement.executeQuery(sql);
           ArrowReader batches = (ArrowReader) ((DuckDBResultSet) result).arrowExportStream(out, 1 << 17)) {
        while (batches.loadNextBatch()) {
          rowsOut += batches.getVectorSchemaRoot().getRowCount();
        }
      }
    }
    return rowsOut;
  }
}
