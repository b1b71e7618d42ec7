package io.arrownpz.flightsql.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arrownpz.flightsql.SqlOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Stream;
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
  private final Path spill;

  private SqlDatabase(DuckDBConnection base, Path spill) {
    this.base = base;
    this.spill = spill;
  }

  /**
   * DuckDB shut as this class says, its temporary files in a new directory only the server's user may open
   * (not the working directory, which DuckDB would use and add to the directories SQL may read), bounded to
   * {@link SqlOptions#spillLimit} and removed by {@link #close}.
   */
  static SqlDatabase open(SqlOptions options) throws SQLException, IOException {
    Path spill = privateDirectory();
    Properties properties = new Properties();
    properties.setProperty("jdbc_stream_results", "true"); // results come as DuckDB makes them, never whole
    properties.setProperty("temp_directory", spill.toString());
    DuckDBConnection base;
    try {
      base = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", properties);
    } catch (SQLException e) {
      removeTree(spill);
      throw e;
    }
    try (Statement settings = base.createStatement()) {
      settings.execute("SET max_temp_directory_size = '" + (options.spillLimit() >> 10) + "KiB'");
      settings.execute("SET enable_external_access = false");
      settings.execute("SET autoinstall_known_extensions = false");
      settings.execute("SET autoload_known_extensions = false");
      settings.execute("SET allow_community_extensions = false");
      settings.execute("SET memory_limit = '" + (options.memoryLimit() >> 20) + "MiB'");
      settings.execute("SET lock_configuration = true");
    } catch (SQLException e) {
      base.close();
      removeTree(spill);
      throw e;
    }
    return new SqlDatabase(base, spill);
  }

  /**
   * The words a JDBC tool lists for this DuckDB: its keywords, and the functions a client may call by JDBC's
   * kinds (numeric: DuckDB's numeric category and the math functions; string: its string and regular
   * expression categories; date and time; system).
   */
  record Vocabulary(List<String> keywords, List<String> numeric, List<String> string, List<String> datetime,
      List<String> system) {}

  private static final Set<String> MATH = Set.of("abs", "acos", "asin", "atan", "atan2", "cbrt", "ceil", "cos",
      "cot", "degrees", "exp", "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians",
      "random", "round", "sign", "sin", "sqrt", "tan", "trunc");
  private static final Set<String> DATETIME = Set.of("age", "date_diff", "date_part", "date_sub", "date_trunc",
      "day", "dayname", "dayofmonth", "dayofweek", "dayofyear", "epoch", "epoch_ms", "hour", "last_day",
      "make_date", "make_time", "make_timestamp", "minute", "month", "monthname", "now", "quarter", "second",
      "strftime", "strptime", "time_bucket", "to_timestamp", "today", "week", "year");
  private static final Set<String> SYSTEM = Set.of("version", "typeof", "current_connection_id", "nullif");

  Vocabulary vocabulary() throws SQLException {
    List<String> keywords = new ArrayList<>();
    try (Statement statement = base.createStatement();
         ResultSet rows = statement.executeQuery("SELECT keyword_name FROM duckdb_keywords() ORDER BY 1")) {
      while (rows.next()) {
        keywords.add(rows.getString(1).toUpperCase(java.util.Locale.ROOT));
      }
    }
    Set<String> numeric = new TreeSet<>();
    Set<String> string = new TreeSet<>();
    Set<String> datetime = new TreeSet<>();
    Set<String> system = new TreeSet<>();
    try (Statement statement = base.createStatement();
         ResultSet rows = statement.executeQuery("SELECT DISTINCT function_name, list_contains(categories, "
             + "'numeric'), list_contains(categories, 'string') OR list_contains(categories, 'regex'), "
             + "list_contains(categories, 'date') OR list_contains(categories, 'timestamp') FROM duckdb_functions() "
             + "WHERE function_type = 'scalar'")) {
      while (rows.next()) {
        String name = rows.getString(1);
        SqlAllowlist.Decision decision = SqlAllowlist.DUCKDB.decisions().get("function " + name);
        if (decision == null || !decision.allowed() || !name.matches("[a-z_0-9]+")) {
          continue;
        }
        if (rows.getBoolean(2) || MATH.contains(name)) {
          numeric.add(name);
        }
        if (rows.getBoolean(3)) {
          string.add(name);
        }
        if (rows.getBoolean(4) || DATETIME.contains(name)) {
          datetime.add(name);
        }
        if (SYSTEM.contains(name)) {
          system.add(name);
        }
      }
    }
    return new Vocabulary(keywords, List.copyOf(numeric), List.copyOf(string), List.copyOf(datetime),
        List.copyOf(system));
  }

  /** Where DuckDB writes what does not fit in its memory limit. */
  Path spillDirectory() {
    return spill;
  }

  private static Path privateDirectory() throws IOException {
    try {
      return Files.createTempDirectory("arrow-npz-sql-", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException notPosix) {
      return Files.createTempDirectory("arrow-npz-sql-"); // Windows: the user's own temporary folder
    }
  }

  private static void removeTree(Path directory) throws IOException {
    if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
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
   * {@code sql} as a {@link Query}, from DuckDB's own parse of it, checked against {@link SqlAllowlist}: the
   * tables it names that {@code served} answers are the served datasets it reads. A served dataset is handed to DuckDB as
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
        throw new SQLException("refused: only queries are answered here (SELECT, WITH, VALUES, DESCRIBE, "
            + "SUMMARIZE): the served files are read-only and DuckDB's settings are locked", "42501");
      }
      throw new SQLException(message, "42000");
    }
    SqlAllowlist.Checked checked = SqlAllowlist.DUCKDB.check(tree, served);
    Map<String, Integer> times = new HashMap<>();
    for (SqlAllowlist.Mention mention : checked.mentions()) {
      times.merge(mention.name(), 1, Integer::sum);
    }
    Map<String, String> scans = new LinkedHashMap<>();
    boolean renamed = false;
    int next = 1;
    for (SqlAllowlist.Mention found : checked.mentions()) {
      ObjectNode mention = found.node();
      String name = found.name();
      int count = times.get(name);
      if (!mention.path("catalog_name").asText("").isEmpty() || !mention.path("schema_name").asText("").isEmpty()) {
        // served.main."t.npz", as a tool writes it: the table the run registers is unqualified
        mention.put("catalog_name", "");
        mention.put("schema_name", "");
        if (mention.path("alias").asText("").isEmpty()) {
          mention.put("alias", name);
        }
        renamed = true;
      }
      if (count == 1) {
        scans.put(name, name);
      } else if (count > 1) {
        String scan;
        do {
          scan = name + " #" + next++;
        } while (checked.named().contains(scan));
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

  @Override
  public void close() throws SQLException, IOException {
    try {
      base.close();
    } finally {
      removeTree(spill);
    }
  }
}
