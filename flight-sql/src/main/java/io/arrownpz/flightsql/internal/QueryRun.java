package io.arrownpz.flightsql.internal;

import io.arrownpz.flight.ServedDatasets;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * One execution of a query: on a connection leased for it (its session's, or its own), each served dataset
 * the query names is registered as a fresh Arrow C stream over the dataset's vectors (views of the files'
 * mappings, not copies), and the result is read back from DuckDB as Arrow batches as DuckDB makes them.
 * Closing it closes the result, gives the lease back (the tables dropped from the connection), and then
 * releases the streams and the readers under them.
 *
 * <p>{@link #cancel} may come from any thread while another sends the result: it interrupts DuckDB, and
 * the sending thread then fails and closes the run.
 */
final class QueryRun implements AutoCloseable {
  /**
   * Rows of a served table per batch DuckDB is handed: views of a mapped file cost nothing whatever their
   * size, while DuckDB's scan of an Arrow stream pays for each batch it takes.
   */
  static final int TABLE_BATCH_ROWS = 1 << 20;

  /**
   * What every run of a server shares: the datasets, the reaper of run allocators, the rows per result
   * batch, and the bytes a run may allocate beyond views of the files it reads.
   */
  record Setting(ServedDatasets datasets, Released released, int batchRows, long callMemory) {}

  private final Setting setting;
  private final BufferAllocator allocator;
  private final SqlSessions.Lease lease;
  private final DuckDBConnection connection;
  // the tables, statement, result and batches of a run started (or described), closed with it
  private final Map<String, ArrowArrayStream> tables = new LinkedHashMap<>();
  private PreparedStatement statement;
  private ResultSet results;
  private ResultBatches batches;
  private final List<VectorSchemaRoot> senders = new ArrayList<>(); // each fetch's own table, closed with the run
  private Schema described; // the result's columns before it is executed (a prepared run)
  private volatile boolean cancelled;
  private volatile boolean executing;
  private volatile boolean closed;
  private long limit = Long.MAX_VALUE;

  private QueryRun(Setting setting, BufferAllocator allocator, SqlSessions.Lease lease) {
    this.setting = setting;
    this.allocator = allocator;
    this.lease = lease;
    this.connection = lease.connection();
  }

  /**
   * Runs {@code sql} on {@code lease} with {@code parameters} bound in order (none: an empty list), its
   * result's batches read from {@code allocator}; the run takes over the lease and the allocator, closed
   * with it (the allocator through the setting's reaper, once the network has given its buffers back);
   * {@code executing} is told of the run just before DuckDB executes it (from then on, {@link #cancel}
   * interrupts it).
   */
  static QueryRun start(Setting setting, SqlSessions.Lease lease, String sql, List<Object> parameters,
      BufferAllocator allocator, Consumer<QueryRun> executing) throws SQLException, IOException {
    QueryRun run = prepare(setting, lease, sql, parameters, allocator, null);
    try {
      run.execute(executing);
      return run;
    } catch (SQLException | RuntimeException e) {
      run.close();
      throw e;
    }
  }

  /**
   * Readies {@code sql} as {@link #start} does, without executing it: DuckDB executes it when its result is
   * first asked for ({@link #send}), so that a client that gives up while it runs (the JDBC driver's
   * timeout and {@code cancel()} end the fetch) stops it. {@code schema} is the result's, as {@link
   * #describe} gave it.
   */
  static QueryRun prepare(Setting setting, SqlSessions.Lease lease, String sql, List<Object> parameters,
      BufferAllocator allocator, Schema schema) throws SQLException, IOException {
    QueryRun run = new QueryRun(setting, allocator, lease);
    try {
      SqlDatabase.Query query = run.register(sql);
      run.statement = run.connection.prepareStatement(query.sql());
      for (int i = 0; i < parameters.size(); i++) {
        run.statement.setObject(i + 1, parameters.get(i));
      }
      run.described = schema;
      return run;
    } catch (SQLException | IOException | RuntimeException e) {
      run.close();
      throw e;
    }
  }

  /** Executes the statement: DuckDB runs it to its first batch. */
  private void execute(Consumer<QueryRun> executing) throws SQLException {
    this.executing = true;
    try {
      executing.accept(this);
      results = statement.executeQuery();
      batches = new ResultBatches((ArrowReader) ((DuckDBResultSet) results).arrowExportStream(allocator,
          setting.batchRows()), allocator, limit);
    } finally {
      this.executing = false;
    }
  }

  /** Whether DuckDB has executed the statement (to its first batch). */
  boolean executed() {
    return batches != null;
  }

  /** Whether DuckDB is executing the statement now, up to its first batch. */
  boolean executing() {
    return executing;
  }

  boolean closed() {
    return closed;
  }

  /**
   * What a prepared statement of {@code sql} takes and gives.
   *
   * @param parameters one field per parameter, in order, typed as DuckDB types it
   * @param dataset the result's columns; empty for a statement that cannot be run for them unbound
   */
  record Described(Schema parameters, Schema dataset) {}

  /**
   * Prepares {@code sql} as {@link #start} runs it, for its parameters and its result's columns (the
   * latter from DuckDB itself: the query run with every parameter null and no row asked for).
   */
  static Described describe(Setting setting, SqlSessions.Lease lease, String sql, BufferAllocator allocator)
      throws SQLException, IOException {
    List<org.apache.arrow.vector.types.pojo.Field> parameters = new ArrayList<>();
    try (QueryRun run = new QueryRun(setting, allocator, lease)) {
      SqlDatabase.Query query = run.register(sql);
      try (PreparedStatement prepared = run.connection.prepareStatement(query.sql())) {
        java.sql.ParameterMetaData meta = prepared.getParameterMetaData();
        for (int i = 1; i <= meta.getParameterCount(); i++) {
          String type;
          try {
            type = meta.getParameterTypeName(i);
          } catch (SQLException unknown) {
            type = "VARCHAR";
          }
          parameters.add(org.apache.arrow.vector.types.pojo.Field.nullable("parameter_" + i, DuckTypes.arrow(type)));
        }
      }
      Schema dataset = new Schema(List.of());
      try {
        run.statement = run.connection.prepareStatement("SELECT * FROM (" + query.sql() + ") AS q LIMIT 0");
        for (int i = 1; i <= parameters.size(); i++) {
          run.statement.setObject(i, null);
        }
        run.results = run.statement.executeQuery();
        run.batches = new ResultBatches((ArrowReader) ((DuckDBResultSet) run.results).arrowExportStream(allocator,
            1024), allocator, Long.MAX_VALUE);
        dataset = run.schema();
      } catch (SQLException notASelect) {
        // SHOW, DESCRIBE and the like: their columns are known when they run
      }
      return new Described(new Schema(parameters), dataset);
    }
  }

  /**
   * Registers each served dataset {@code sql} reads as a table of this run's connection, under its name
   * in the query DuckDB is to run, and limits what the run holds to the setting's bytes beyond views of
   * those datasets' files; that query.
   */
  private SqlDatabase.Query register(String sql) throws SQLException, IOException {
    // A name is a served dataset's when the service finds its files: their size, kept for the limit below.
    Map<String, Long> sizes = new java.util.HashMap<>();
    SqlDatabase.Query query = SqlDatabase.parse(connection, sql, name -> {
      try {
        sizes.put(name, setting.datasets().sizeOnDisk(name));
        return true;
      } catch (IOException | RuntimeException notServed) {
        return false; // DuckDB says that no such table exists
      }
    });
    long views = 0;
    for (String dataset : query.scans().values()) {
      views += sizes.get(dataset);
    }
    limit = views + setting.callMemory();
    for (Map.Entry<String, String> scan : query.scans().entrySet()) {
      ArrowReader reader = setting.datasets().open(scan.getValue(), allocator, TABLE_BATCH_ROWS);
      ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
      try {
        Data.exportArrayStream(allocator, reader, stream); // the stream closes the reader when released
      } catch (RuntimeException e) {
        stream.close();
        reader.close();
        throw e;
      }
      tables.put(scan.getKey(), stream);
      connection.registerArrowStream(scan.getKey(), stream);
    }
    return query;
  }

  Schema schema() throws IOException {
    return batches == null ? described : batches.root().getSchema();
  }

  /**
   * Reads up to {@code count} batches of an executed run before they are fetched; the result's rows and
   * bytes when it ended within them, null when it goes on.
   */
  long[] readAhead(int count) throws IOException {
    return batches.readAhead(count);
  }

  /** Moves the result's next batch into {@code into}; false after the last. */
  boolean nextBatch(VectorSchemaRoot into) throws IOException {
    return batches.next(into);
  }

  /**
   * Sends batches of the result to {@code listener} until there are none left (when the result has several
   * endpoints, their fetches share its batches), waiting for the client as it reads (polled, as the
   * service's own gets wait: Arrow Java's callback strategy can miss a ready signal), and failing when the
   * client reads nothing for {@code stallMillis} or the run is cancelled. True when every batch went;
   * false when the client went away. A run not executed yet ({@link #prepare}) is executed first, {@code
   * executing} told just before. The caller closes the run, then completes the listener: a client's next
   * query then finds the session's connection free.
   */
  boolean send(ServerStreamListener listener, long stallMillis, Consumer<QueryRun> executing) throws IOException {
    VectorSchemaRoot root;
    synchronized (this) {
      if (batches == null) {
        try {
          execute(executing);
        } catch (SQLException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
      if (closed) {
        throw new IOException("the query was cancelled");
      }
      root = VectorSchemaRoot.create(schema(), allocator);
      senders.add(root);
    }
    listener.start(root);
    while (nextBatch(root)) {
      long deadline = System.nanoTime() + stallMillis * 1_000_000;
      while (!listener.isReady()) {
        if (listener.isCancelled()) {
          return false;
        }
        if (cancelled) {
          throw new IOException("the query was cancelled");
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("the client read nothing for " + stallMillis / 1000 + " s");
        }
        LockSupport.parkNanos(200_000);
      }
      if (cancelled) {
        throw new IOException("the query was cancelled");
      }
      listener.putNext();
    }
    if (cancelled) {
      throw new IOException("the query was cancelled");
    }
    return true;
  }

  /** Interrupts DuckDB; the run's owner closes it. */
  void cancel() {
    cancelled = true;
    try {
      if (statement != null) {
        statement.cancel();
      }
    } catch (SQLException e) {
      // finished already: nothing to interrupt
    }
  }

  boolean cancelled() {
    return cancelled;
  }

  @Override
  public synchronized void close() {
    closed = true;
    senders.forEach(VectorSchemaRoot::close);
    closeQuietly(batches);
    closeQuietly(results);
    closeQuietly(statement);
    lease.close(tables.keySet()); // before the streams: DuckDB holds them while they are tables of its connection
    for (ArrowArrayStream table : tables.values()) {
      table.release(); // a stream DuckDB never read to its end still holds its reader and the file's views
      table.close();
    }
    setting.released().closeWhenReleased(allocator);
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception e) {
        // closing what a failed or cancelled query left: the allocator still counts what is not given back
      }
    }
  }
}
