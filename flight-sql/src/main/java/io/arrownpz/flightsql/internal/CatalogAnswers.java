package io.arrownpz.flightsql.internal;

import io.arrownpz.flight.ServedDatasets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.SqlInfoBuilder;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a JDBC tool asks before it runs a query: the tables (every served dataset, named by its path, in
 * no catalog and no schema, so that a tool writes {@code "frames/prices.npz"} unqualified, as DuckDB finds
 * it), their columns, the table types, the server's SQL info, and no keys.
 */
final class CatalogAnswers {
  static final String TABLE = "TABLE";

  private final ServedDatasets datasets;
  private final SqlInfoBuilder info;

  CatalogAnswers(ServedDatasets datasets, String version) {
    this.datasets = datasets;
    this.info = new SqlInfoBuilder()
        .withFlightSqlServerName("arrow-npz")
        .withFlightSqlServerVersion(version)
        .withFlightSqlServerArrowVersion(org.apache.arrow.vector.VectorSchemaRoot.class.getPackage()
            .getImplementationVersion() == null ? "18.3.0"
            : VectorSchemaRoot.class.getPackage().getImplementationVersion())
        .withFlightSqlServerReadOnly(true)
        .withFlightSqlServerSql(true)
        .withFlightSqlServerSubstrait(false)
        .withFlightSqlServerTransaction(FlightSql.SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
        .withFlightSqlServerCancel(true)
        .withSqlIdentifierQuoteChar("\"")
        .withSqlQuotedIdentifierCase(FlightSql.SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE);
  }

  void sqlInfo(FlightSql.CommandGetSqlInfo command, ServerStreamListener listener) {
    info.send(command.getInfoList(), listener);
  }

  void tables(FlightSql.CommandGetTables command, BufferAllocator allocator, ServerStreamListener listener)
      throws IOException {
    boolean withSchema = command.getIncludeSchema();
    Pattern names = command.hasTableNameFilterPattern() ? like(command.getTableNameFilterPattern()) : null;
    boolean tables = command.getTableTypesCount() == 0 || command.getTableTypesList().contains(TABLE);
    // Datasets live in no catalog and no schema: a filter naming one matches none of them.
    boolean placed = (!command.hasCatalog() || command.getCatalog().isEmpty())
        && (!command.hasDbSchemaFilterPattern() || like(command.getDbSchemaFilterPattern()).matcher("").matches());
    Schema schema = withSchema ? FlightSqlProducer.Schemas.GET_TABLES_SCHEMA
        : FlightSqlProducer.Schemas.GET_TABLES_SCHEMA_NO_SCHEMA;
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      VarCharVector name = (VarCharVector) root.getVector("table_name");
      VarCharVector type = (VarCharVector) root.getVector("table_type");
      VarBinaryVector columns = withSchema ? (VarBinaryVector) root.getVector("table_schema") : null;
      int row = 0;
      if (tables && placed) {
        for (String dataset : datasets.names()) {
          if (names != null && !names.matcher(dataset).matches()) {
            continue;
          }
          byte[] described = null;
          if (withSchema) {
            try {
              described = datasets.schema(dataset).serializeAsMessage();
            } catch (RuntimeException unreadable) {
              continue; // a dataset that cannot be described now is no table to query
            }
          }
          name.setSafe(row, dataset.getBytes(StandardCharsets.UTF_8));
          type.setSafe(row, TABLE.getBytes(StandardCharsets.UTF_8));
          if (columns != null) {
            columns.setSafe(row, described);
          }
          row++;
        }
      }
      root.setRowCount(row);
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  void tableTypes(BufferAllocator allocator, ServerStreamListener listener) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(FlightSqlProducer.Schemas.GET_TABLE_TYPES_SCHEMA, allocator)) {
      ((VarCharVector) root.getVector(0)).setSafe(0, TABLE.getBytes(StandardCharsets.UTF_8));
      root.setRowCount(1);
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  /** An answer of no rows: no catalogs, no schemas, no keys, no type info. */
  static void none(Schema schema, BufferAllocator allocator, ServerStreamListener listener) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.setRowCount(0);
      listener.start(root);
      listener.completed();
    }
  }

  /** A SQL LIKE pattern ({@code %} any run, {@code _} one character, {@code \} escapes) as a regex. */
  static Pattern like(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
