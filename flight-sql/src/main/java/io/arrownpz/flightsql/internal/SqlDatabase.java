package io.arrownpz.flightsql.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.flightsql.SqlOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.duckdb.DuckDBConnection;

/**
 * DuckDB in process, shut to everything but the tables a query is given: no file system access (so no
 * {@code read_csv}, {@code COPY ... TO}, {@code ATTACH}), no extensions installed or loaded, a memory limit,
 * and the configuration locked so that no statement opens them again. Connections ({@link #connect}) are
 * its sessions' ({@link SqlSessions}); only queries are answered ({@link #parse}).
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

  /** A new connection to the database; the caller closes it. */
  DuckDBConnection connect() throws SQLException {
    return base.duplicate();
  }

  /**
   * A query as DuckDB is to run it: its text, and the served datasets it reads, each under the table name
   * it has in that text (in order of appearance).
   */
  record Query(String sql, Map<String, String> scans) {}

  /**
   * {@code sql} as a {@link Query}, from DuckDB's own parse of it: the tables it names without a schema
   * that {@code served} answers are the served datasets it reads. A served dataset is handed to DuckDB as
   * an Arrow stream, which can be scanned once; so a dataset the query names more than once (a self-join,
   * a subquery over the table being filtered) has each of its mentions renamed to a table of its own,
   * aliased by the name it had, and the query is run as DuckDB prints the statement so renamed. Throws a
   * {@link SQLException} naming the problem for anything but a query (DuckDB serializes only SELECT
   * statements: DDL, DML, SET, PRAGMA, ATTACH, COPY and their kind are refused here).
   */
  static Query parse(Connection connection, String sql, Predicate<String> served) throws SQLException {
    JsonNode tree = tree(query(connection, "SELECT json_serialize_sql(?::VARCHAR)", sql));
    if (tree.path("error").asBoolean(false)) {
      String message = tree.path("error_message").asText("");
      if (message.startsWith("Only SELECT statements")) {
        throw new SQLException("only queries are answered here (SELECT, WITH, VALUES, DESCRIBE, SHOW): "
            + "the served files are read-only and DuckDB's settings are locked", "42000");
      }
      throw new SQLException(message, "42000");
    }
    List<ObjectNode> mentions = new ArrayList<>();
    Set<String> named = new HashSet<>();
    Set<String> commonTables = new HashSet<>();
    collect(tree, mentions, named, commonTables);
    Map<String, Integer> times = new HashMap<>();
    Map<String, Boolean> answered = new HashMap<>();
    for (ObjectNode mention : mentions) {
      String name = mention.path("table_name").asText();
      if (!commonTables.contains(name) && answered.computeIfAbsent(name, served::test)) {
        times.merge(name, 1, Integer::sum);
      }
    }
    Map<String, String> scans = new LinkedHashMap<>();
    boolean renamed = false;
    int next = 1;
    for (ObjectNode mention : mentions) {
      String name = mention.path("table_name").asText();
      int count = times.getOrDefault(name, 0);
      if (count == 1) {
        scans.put(name, name);
      } else if (count > 1) {
        String scan;
        do {
          scan = name + " #" + next++;
        } while (named.contains(scan));
        if (mention.path("alias").asText("").isEmpty()) {
          mention.put("alias", name);
        }
        mention.put("table_name", scan);
        scans.put(scan, name);
        renamed = true;
      }
    }
    if (!renamed) {
      return new Query(sql, scans);
    }
    return new Query(query(connection, "SELECT json_deserialize_sql(?::JSON)", tree.toString()), scans);
  }

  private static JsonNode tree(String json) throws SQLException {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new SQLException("the statement could not be read: " + e.getMessage(), e);
    }
  }

  private static String query(Connection connection, String function, String argument) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(function)) {
      statement.setString(1, argument);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /**
   * The tables named without a schema or catalog, as the objects of the parse that name them; every table
   * name the statement uses; and the names its common table expressions (WITH) define, which shadow a
   * served dataset of that name.
   */
  private static void collect(JsonNode node, List<ObjectNode> mentions, Set<String> named, Set<String> commonTables) {
    if (node instanceof ObjectNode object) {
      if ("BASE_TABLE".equals(object.path("type").asText())) {
        named.add(object.path("table_name").asText());
        if (object.path("schema_name").asText("").isEmpty() && object.path("catalog_name").asText("").isEmpty()) {
          mentions.add(object);
        }
      }
      for (JsonNode entry : object.path("cte_map").path("map")) {
        commonTables.add(entry.path("key").asText());
      }
      object.elements().forEachRemaining(child -> collect(child, mentions, named, commonTables));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collect(child, mentions, named, commonTables));
    }
  }

  @Override
  public void close() throws SQLException {
    base.close();
  }
}
