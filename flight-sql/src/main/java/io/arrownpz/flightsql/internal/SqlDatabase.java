package io.arrownpz.flightsql.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arrownpz.flightsql.SqlOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB in process, shut to everything but the tables a query is given: no file system access (so no
 * {@code read_csv}, {@code COPY ... TO}, {@code ATTACH}), no extensions installed or loaded, a memory limit,
 * and the configuration locked so that no statement opens them again. Each query runs on a connection of
 * its own ({@link #connect}), closed with it; only queries are answered ({@link #parse}).
 */
final class SqlDatabase implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DuckDBConnection base;

  private SqlDatabase(DuckDBConnection base) {
    this.base = base;
  }

  static SqlDatabase open(SqlOptions options) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("jdbc_stream_results", "true"); // results come as DuckDB makes them, never whole
    DuckDBConnection base = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", properties);
    try (Statement settings = base.createStatement()) {
      settings.execute("SET enable_external_access = false");
      settings.execute("SET autoinstall_known_extensions = false");
      settings.execute("SET autoload_known_extensions = false");
      settings.execute("SET allow_community_extensions = false");
      settings.execute("SET memory_limit = '" + (options.memoryLimit() >> 20) + "MiB'");
      settings.execute("SET lock_configuration = true");
    } catch (SQLException e) {
      base.close();
      throw e;
    }
    return new SqlDatabase(base);
  }

  /** A new connection to the database, for one query; the caller closes it. */
  DuckDBConnection connect() throws SQLException {
    return base.duplicate();
  }

  /**
   * The tables a statement names without a schema (those the served datasets may answer), from DuckDB's
   * own parse of it; a {@link SQLException} naming the problem for anything but a query (DuckDB serializes
   * only SELECT statements: DDL, DML, SET, PRAGMA, ATTACH, COPY and their kind are refused here).
   */
  Set<String> parse(Connection connection, String sql) throws SQLException {
    String json;
    try (PreparedStatement parse = connection.prepareStatement("SELECT json_serialize_sql(?::VARCHAR)")) {
      parse.setString(1, sql);
      try (ResultSet rs = parse.executeQuery()) {
        rs.next();
        json = rs.getString(1);
      }
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new SQLException("the statement could not be read: " + e.getMessage());
    }
    if (tree.path("error").asBoolean(false)) {
      String message = tree.path("error_message").asText("");
      if (message.startsWith("Only SELECT statements")) {
        throw new SQLException("only queries are answered here (SELECT, WITH, VALUES, DESCRIBE, SHOW): "
            + "the served files are read-only and DuckDB's settings are locked", "42000");
      }
      throw new SQLException(message, "42000");
    }
    Set<String> tables = new LinkedHashSet<>();
    collectTables(tree, tables);
    return tables;
  }

  private static void collectTables(JsonNode node, Set<String> tables) {
    if (node.isObject()) {
      if ("BASE_TABLE".equals(node.path("type").asText()) && node.path("schema_name").asText("").isEmpty()
          && node.path("catalog_name").asText("").isEmpty()) {
        tables.add(node.path("table_name").asText());
      }
      node.elements().forEachRemaining(child -> collectTables(child, tables));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectTables(child, tables));
    }
  }

  @Override
  public void close() throws SQLException {
    base.close();
  }
}
