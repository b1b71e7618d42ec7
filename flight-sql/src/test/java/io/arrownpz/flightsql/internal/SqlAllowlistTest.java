package io.arrownpz.flightsql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The allowlist against the DuckDB the module ships with: every function it lists is decided, every
 * allowed macro calls only allowed functions, and each class of statement a hostile client sends is refused
 * on the parse, while the queries a user writes pass.
 */
class SqlAllowlistTest {
  private static Connection duckdb;
  private static final Set<String> SERVED = Set.of("t", "u.npz");

  @BeforeAll
  static void open() throws SQLException {
    duckdb = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterAll
  static void close() throws SQLException {
    duckdb.close();
  }

  private static SqlDatabase.Query parse(String sql) throws SQLException {
    return SqlDatabase.parse(duckdb, sql, SERVED::contains);
  }

  private static String kind(String functionType) {
    return switch (functionType) {
      case "scalar", "aggregate", "macro" -> "function";
      case "table", "table_macro" -> "table";
      default -> functionType;
    };
  }

  @Test
  void everyFunctionDuckdbListsIsDecided() throws SQLException {
    Set<String> listed = new TreeSet<>();
    try (Statement s = duckdb.createStatement();
         ResultSet rows = s.executeQuery("SELECT DISTINCT function_name, function_type FROM duckdb_functions()")) {
      while (rows.next()) {
        listed.add(kind(rows.getString(2)) + " " + rows.getString(1));
      }
    }
    Set<String> undecided = new TreeSet<>(listed);
    undecided.removeAll(SqlAllowlist.DUCKDB.decisions().keySet());
    assertEquals(Set.of(), undecided, "functions of this DuckDB that nobody decided: add each to "
        + "duckdb-functions.tsv, allowed or refused, with why");
    Set<String> gone = new TreeSet<>(SqlAllowlist.DUCKDB.decisions().keySet());
    gone.removeAll(listed);
    assertEquals(Set.of(), gone, "decisions of functions this DuckDB no longer lists");
  }

  @Test
  void anAllowedMacroCallsOnlyAllowedFunctions() throws SQLException {
    List<String> wrong = new ArrayList<>();
    try (Statement s = duckdb.createStatement();
         ResultSet rows = s.executeQuery("SELECT DISTINCT function_name, function_type, macro_definition FROM "
             + "duckdb_functions() WHERE function_type IN ('macro', 'table_macro')")) {
      while (rows.next()) {
        SqlAllowlist.Decision decision = SqlAllowlist.DUCKDB.decisions().get(kind(rows.getString(2)) + " "
            + rows.getString(1));
        if (!decision.allowed()) {
          continue;
        }
        String body = rows.getString(2).equals("macro") ? "SELECT " + rows.getString(3) : rows.getString(3);
        try {
          parse(body);
        } catch (SQLException e) {
          wrong.add(rows.getString(1) + ": " + e.getMessage());
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void whatAQueryOverServedTablesUsesIsAllowed() throws SQLException {
    for (String sql : List.of("SELECT k, sum(v) FROM t GROUP BY k", "FROM t", "VALUES (1, 'a')",
        "SELECT * FROM t JOIN \"u.npz\" USING (k) WHERE k IN (SELECT k FROM t) ORDER BY 1 LIMIT 5",
        "SELECT row_number() OVER (PARTITION BY k ORDER BY v), lag(v) OVER (), sum(v) OVER () FROM t",
        "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r",
        "WITH a AS (SELECT * FROM t), b AS (SELECT * FROM a) SELECT count(*) FROM b",
        "SELECT list_transform([1, 2], x -> x * 2), list_aggr([1, 2], 'sum'), {'a': 1}, [1, 2][1], 'x' || 'y'",
        "SELECT CAST(k AS VARCHAR), k::DOUBLE, CASE WHEN k > 1 THEN 'a' ELSE 'b' END, k BETWEEN 1 AND 2 FROM t",
        "SELECT * FROM range(10)", "SELECT unnest([1, 2])", "SELECT * FROM unnest([1, 2])",
        "DESCRIBE t", "SUMMARIZE SELECT * FROM t",
        "SELECT strftime(now(), '%Y'), regexp_matches('a', 'a'), lower('A'), round(2.5), random() < 2",
        "SELECT k FROM t WHERE v > ?", "SELECT current_connection_id()", "SELECT version()")) {
      parse(sql);
    }
    assertEquals(Map.of("t", "t"), parse("SELECT * FROM t").scans());
    // as a tool qualifies a table it listed: run as the unqualified table the run registers
    SqlDatabase.Query qualified = parse("SELECT t.k FROM served.main.t WHERE k > 1");
    assertEquals(Map.of("t", "t"), qualified.scans());
    assertTrue(!qualified.sql().contains("served") && !qualified.sql().contains("main."), qualified.sql());
    assertEquals(Map.of("u.npz", "u.npz"), parse("SELECT * FROM main.\"u.npz\"").scans());
  }

  private static void refused(String sql, String naming) {
    SQLException e = assertThrows(SQLException.class, () -> parse(sql), sql);
    assertTrue(e.getMessage().startsWith("refused: ") && e.getMessage().contains(naming),
        sql + " -> " + e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void filesLoggingProfilingAndSettingsAreRefusedNamingTheFunction() {
    refused("SELECT * FROM read_csv('/etc/passwd')", "read_csv");
    refused("SELECT * FROM read_text('.tmp/x')", "read_text");
    refused("SELECT * FROM glob('.tmp/*')", "glob");
    refused("SELECT * FROM read_parquet('x.parquet')", "read_parquet");
    refused("SELECT * FROM '/etc/passwd'", "/etc/passwd");
    refused("SELECT * FROM enable_logging(storage = 'file', storage_path = '/tmp')", "enable_logging");
    refused("SELECT * FROM enable_profiling(save_location = '/tmp/p')", "enable_profiling");
    refused("SELECT * FROM duckdb_logs()", "duckdb_logs");
    refused("SELECT write_log('x')", "write_log");
    refused("SELECT current_setting('memory_limit')", "current_setting");
    refused("SELECT * FROM duckdb_settings()", "duckdb_settings");
    refused("SELECT * FROM query('SELECT 1')", "query");
    refused("SELECT * FROM query_table('t')", "query_table");
    refused("SELECT json_serialize_plan('SELECT 1')", "json_serialize_plan");
    refused("SELECT nextval('s')", "nextval");
    refused("SELECT setseed(0.5)", "setseed");
    refused("SELECT pg_catalog.pg_typeof(1)", "pg_typeof");
    refused("SELECT * FROM pragma_table_info('t')", "pragma_table_info");
  }

  @Test
  void catalogTablesAndViewsAreRefusedHoweverTheyAreNamed() {
    refused("SELECT * FROM duckdb_logs", "duckdb_logs");
    refused("SELECT * FROM duckdb_settings", "duckdb_settings");
    refused("SELECT * FROM information_schema.tables", "information_schema.tables");
    refused("SELECT * FROM memory.main.t", "memory.main.t");
    refused("SELECT * FROM main.duckdb_logs", "main.duckdb_logs");
    refused("SELECT * FROM system.main.duckdb_logs", "duckdb_logs");
    refused("SELECT * FROM pg_catalog.pg_settings", "pg_settings");
    refused("SHOW TABLES", "SHOW");
    refused("SHOW ALL TABLES", "SHOW");
    refused("DESCRIBE duckdb_settings", "duckdb_settings");
    // a CTE's name covers only the queries after it: DuckDB resolves its own body's mention to the catalog
    refused("WITH duckdb_settings AS (SELECT * FROM duckdb_settings) SELECT * FROM duckdb_settings",
        "duckdb_settings");
    refused("WITH a AS (SELECT * FROM duckdb_logs), duckdb_logs AS (SELECT 1) SELECT * FROM a", "duckdb_logs");
    refused("SELECT * FROM (WITH duckdb_logs AS (SELECT 1) SELECT * FROM duckdb_logs), duckdb_logs", "duckdb_logs");
  }

  @Test
  void valuesWhoseSizeAnArgumentSetsAreRefused() {
    refused("SELECT len(list(range(100000000)))", "range");
    refused("SELECT repeat('x', 1000000000)", "repeat");
    refused("SELECT lpad('x', 1000000000, 'y')", "lpad");
    refused("SELECT list_resize([1], 1000000000)", "list_resize");
    refused("SELECT printf('%1000000000d', 1)", "printf");
    refused("SELECT list_aggr([1], 'bitstring_agg', 0, 1000000000)", "bitstring_agg");
    refused("SELECT list_aggr([1], (SELECT 'sum'))", "list_aggr");
  }

  @Test
  void statementsThatAreNotOneQueryAreRefused() {
    for (String sql : List.of("COPY (SELECT 1) TO '/tmp/x.csv'", "ATTACH '/tmp/x.db'", "INSTALL httpfs",
        "LOAD httpfs", "SET memory_limit = '100GB'", "PRAGMA threads = 1", "CREATE TABLE x AS SELECT 1",
        "CREATE MACRO m() AS 1", "SET VARIABLE v = 1", "CALL enable_logging()", "EXPORT DATABASE '/tmp/e'",
        "CHECKPOINT", "PREPARE p AS SELECT 1", "EXPLAIN ANALYZE SELECT 1", "USE system")) {
      refused(sql, "only queries");
    }
    refused("SELECT 1; SELECT 2", "one statement");
  }
}
