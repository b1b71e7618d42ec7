package io.arrownpz.flightsql;

import io.arrownpz.flight.CallLimits;
import io.arrownpz.flight.FlightService;
import io.arrownpz.flight.ServeOptions;
import io.arrownpz.flight.ServedDatasets;
import io.arrownpz.flight.ServiceExtension;
import io.arrownpz.flightsql.internal.SqlProducer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.memory.BufferAllocator;

/**
 * A served directory that also answers SQL: {@link FlightService} with an
 * <a href="https://arrow.apache.org/docs/format/FlightSql.html">Arrow Flight SQL</a> endpoint on the same
 * port. Every dataset the service lists is a table named by its path ({@code SELECT * FROM
 * "frames/prices.npz"}); DuckDB, in process, runs the queries over Arrow C streams of the datasets' vectors,
 * opened only for the queries that name them. SQL reads nothing else: DuckDB's file system access,
 * extensions and settings are shut before the first query. Each Flight SQL session (a client that keeps
 * the session cookie, as the JDBC driver does) has a DuckDB connection of its own; SQL queries take the
 * service's stream slots and per-call memory limit as its own calls do.
 */
public final class SqlService {
  private SqlService() {}

  /** Serves {@code directory} as {@link FlightService#start} does, with SQL over its datasets. */
  public static FlightService start(Path directory, ServeOptions options, SqlOptions sql, BufferAllocator parent,
      Consumer<String> warnings) throws IOException {
    return FlightService.start(directory, options, parent, warnings, new ServiceExtension() {
      @Override
      public FlightProducer extend(FlightProducer files, ServedDatasets datasets, CallLimits limits,
          BufferAllocator allocator) throws IOException {
        return SqlProducer.open(files, datasets, limits, allocator, sql);
      }

      @Override
      public List<Middleware<?>> middleware() {
        return List.of(SqlProducer.SESSIONS);
      }
    });
  }
}
