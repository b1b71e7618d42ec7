package io.arrownpz.flightsql.internal;

import io.arrownpz.flight.ServedDatasets;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * One execution of a query: a DuckDB connection of its own, on which each served dataset the query names
 * is registered as a fresh Arrow C stream over the dataset's vectors (views of the files' mappings, not
 * copies), and the result, read back from DuckDB as Arrow batches as DuckDB makes them. Closing it closes
 * the result, the connection, the streams and the readers under them, in that order.
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

  private final BufferAllocator allocator;
  private final Released released;
  private final DuckDBConnection connection;
  // the statement, result and batches of a run started (or described), closed with it
  private final List<ArrowArrayStream> tables = new ArrayList<>();
  private PreparedStatement statement;
  private ResultSet results;
  private ArrowReader batches;
  private volatile boolean cancelled;

  private QueryRun(BufferAllocator allocator, Released released, DuckDBConnection connection) {
    this.allocator = allocator;
    this.released = released;
    this.connection = connection;
  }

  /**
   * Runs {@code sql} with {@code parameters} bound in order (none: an empty list), its result's batches of
   * {@code batchRows} rows read from {@code allocator}, which the run takes over and closes (through
   * {@code released}, once the network has given its buffers back); {@code executing} is told of the run
   * just before DuckDB executes it (from then on, {@link #cancel} interrupts it).
   */
  static QueryRun start(SqlDatabase database, ServedDatasets datasets, String sql, List<Object> parameters,
      BufferAllocator allocator, Released released, int batchRows, java.util.function.Consumer<QueryRun> executing)
      throws SQLException, IOException {
    DuckDBConnection connection;
    try {
      connection = database.connect();
    } catch (SQLException e) {
      allocator.close();
      throw e;
    }
    QueryRun run = new QueryRun(allocator, released, connection);
    try {
      SqlDatabase.Query query = database.parse(connection, sql, served(datasets));
      run.register(query, datasets);
      run.statement = connection.prepareStatement(query.sql());
      for (int i = 0; i < parameters.size(); i++) {
        run.statement.setObject(i + 1, parameters.get(i));
      }
      executing.accept(run);
      run.results = run.statement.executeQuery();
      run.batches = (ArrowReader) ((DuckDBResultSet) run.results).arrowExportStream(allocator, batchRows);
      return run;
    } catch (SQLException | IOException | RuntimeException e) {
      run.close();
      throw e;
    }
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
  static Described describe(SqlDatabase database, ServedDatasets datasets, String sql, BufferAllocator allocator,
      Released released) throws SQLException, IOException {
    List<org.apache.arrow.vector.types.pojo.Field> parameters = new ArrayList<>();
    try (QueryRun run = new QueryRun(allocator, released, database.connect())) {
      SqlDatabase.Query query = database.parse(run.connection, sql, served(datasets));
      run.register(query, datasets);
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
        run.batches = (ArrowReader) ((DuckDBResultSet) run.results).arrowExportStream(allocator, 1024);
        dataset = run.schema();
      } catch (SQLException notASelect) {
        // SHOW, DESCRIBE and the like: their columns are known when they run
      }
      return new Described(new Schema(parameters), dataset);
    }
  }

  /** Whether a table name is that of a served dataset. */
  private static java.util.function.Predicate<String> served(ServedDatasets datasets) {
    return name -> {
      try {
        datasets.schema(name);
        return true;
      } catch (IOException | RuntimeException notServed) {
        return false; // DuckDB says that no such table exists
      }
    };
  }

  /** Each served dataset {@code query} reads, as a table of this run's connection under its name there. */
  private void register(SqlDatabase.Query query, ServedDatasets datasets) throws IOException {
    for (java.util.Map.Entry<String, String> scan : query.scans().entrySet()) {
      ArrowReader reader = datasets.open(scan.getValue(), allocator, TABLE_BATCH_ROWS);
      ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
      try {
        Data.exportArrayStream(allocator, reader, stream); // the stream closes the reader when released
      } catch (RuntimeException e) {
        stream.close();
        reader.close();
        throw e;
      }
      tables.add(stream);
      connection.registerArrowStream(scan.getKey(), stream);
    }
  }

  Schema schema() throws IOException {
    return batches.getVectorSchemaRoot().getSchema();
  }

  /** The table each {@link #nextBatch} fills with the result's next batch. */
  VectorSchemaRoot schemaRoot() throws IOException {
    return batches.getVectorSchemaRoot();
  }

  /** Reads the result's next batch into {@link #schemaRoot}; false after the last. */
  boolean nextBatch() throws IOException {
    return batches.loadNextBatch();
  }

  /**
   * Sends every batch of the result to {@code listener}, waiting for the client as it reads (polled, as
   * the service's own gets wait: Arrow Java's callback strategy can miss a ready signal), and failing when
   * the client reads nothing for {@code stallMillis} or the run is cancelled.
   */
  void send(ServerStreamListener listener, long stallMillis) throws IOException {
    VectorSchemaRoot root = batches.getVectorSchemaRoot();
    listener.start(root);
    while (batches.loadNextBatch()) {
      long deadline = System.nanoTime() + stallMillis * 1_000_000;
      while (!listener.isReady()) {
        if (listener.isCancelled()) {
          return; // the client went away
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
    listener.completed();
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
  public void close() {
    closeQuietly(batches);
    closeQuietly(results);
    closeQuietly(statement);
    closeQuietly(connection); // before the streams: DuckDB holds them until its connection goes
    for (ArrowArrayStream table : tables) {
      table.release(); // a stream DuckDB never read to its end still holds its reader and the file's views
      table.close();
    }
    released.closeWhenReleased(allocator);
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
