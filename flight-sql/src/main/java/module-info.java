/**
 * SQL over served NumPy files: an Arrow Flight SQL endpoint beside a {@code FlightService}'s datasets,
 * answered by DuckDB in process. Start from {@link io.arrownpz.flightsql.SqlService}.
 */
module io.arrownpz.flightsql {
  requires transitive io.arrownpz.flight;
  requires org.apache.arrow.flight.sql;
  requires org.apache.arrow.c;
  requires duckdb.jdbc;
  requires com.fasterxml.jackson.databind;
  requires com.google.protobuf;
  requires java.sql;

  exports io.arrownpz.flightsql;
}
