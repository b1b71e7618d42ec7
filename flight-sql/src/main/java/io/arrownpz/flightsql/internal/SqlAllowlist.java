package io.arrownpz.flightsql.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What SQL from a client may use, checked on DuckDB's own parse of the statement ({@code
 * json_serialize_sql}) before DuckDB binds it: one query; table references that are served datasets,
 * common table expressions in scope, subqueries, joins, VALUES, or an allowed table function; expressions
 * of the kinds a query computes with; and functions decided one by one in {@code duckdb-functions.tsv},
 * where every function DuckDB lists is allowed (a value of its arguments) or refused (it reads files,
 * settings or the catalog, changes state, logs, profiles, runs SQL text, or builds a value whose size an
 * argument sets). Anything not on the lists is refused, so a function or a node kind that a new DuckDB
 * adds is refused until somebody decides it.
 */
final class SqlAllowlist {
  /** One function's decision: its kind ({@code function}, {@code table} or {@code pragma}) and name. */
  record Decision(String kind, String name, boolean allowed, String why) {}

  /** The catalog and schema the served tables are listed in; a query may name a table in them. */
  static final String CATALOG = "served";
  static final String SCHEMA = "main";

  /** The decisions shipped with this module. */
  static final SqlAllowlist DUCKDB = load();

  private static final Set<String> EXPRESSIONS = Set.of("FUNCTION", "WINDOW", "CONSTANT", "COLUMN_REF", "STAR",
      "CAST", "COMPARISON", "CONJUNCTION", "OPERATOR", "CASE", "BETWEEN", "SUBQUERY", "LAMBDA", "LAMBDA_REF",
      "PARAMETER", "POSITIONAL_REFERENCE", "COLLATE");
  private static final Set<String> QUERY_NODES = Set.of("SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE",
      "CTE_NODE");
  private static final Set<String> TABLE_REFS = Set.of("BASE_TABLE", "JOIN", "SUBQUERY", "TABLE_FUNCTION",
      "EXPRESSION_LIST", "EMPTY", "PIVOT", "SHOW_REF");
  /** Functions whose second argument names an aggregate that they apply to a list. */
  private static final Set<String> APPLY_AGGREGATE = Set.of("list_aggr", "list_aggregate", "array_aggr",
      "array_aggregate", "aggregate");

  /**
   * Functions that DuckDB's binder expands itself (into the rows of a list the query holds), which no catalog
   * lists.
   */
  private static final Set<String> BINDER_FUNCTIONS = Set.of("unnest", "unlist");

  private final Map<String, Decision> decisions;

  private SqlAllowlist(Map<String, Decision> decisions) {
    this.decisions = decisions;
  }

  /** Every decision, by {@code kind + " " + name}. */
  Map<String, Decision> decisions() {
    return Collections.unmodifiableMap(decisions);
  }

  private static SqlAllowlist load() {
    Map<String, Decision> decisions = new HashMap<>();
    try (InputStream in = SqlAllowlist.class.getResourceAsStream("duckdb-functions.tsv")) {
      if (in == null) {
        throw new IllegalStateException("duckdb-functions.tsv is missing from the flight-sql module");
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cells = line.split("\t", -1);
        if (cells.length != 4 || !(cells[2].equals("allowed") || cells[2].equals("refused"))) {
          throw new IllegalStateException("duckdb-functions.tsv: not KIND NAME allowed|refused WHY: " + line);
        }
        decisions.put(cells[0] + " " + cells[1], new Decision(cells[0], cells[1], cells[2].equals("allowed"), cells[3]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SqlAllowlist(decisions);
  }

  /**
   * A served dataset's mention in a statement: the parse node naming it (which {@link SqlDatabase} may
   * rename) .
   */
  record Mention(ObjectNode node, String name) {}

  /**
   * Checks the parse {@code tree} of one statement; the tables it names that are served datasets ({@code
   * served} says which), in order of appearance, and every table name it uses. Throws a {@link SQLException}
   * naming the first thing refused.
   */
  Checked check(JsonNode tree, Predicate<String> served) throws SQLException {
    JsonNode statements = tree.path("statements");
    if (statements.size() != 1) {
      throw refused("one statement at a time, not " + statements.size());
    }
    Walk walk = new Walk(served);
    walk.query(statements.get(0).path("node"), List.of());
    return new Checked(walk.mentions, walk.named);
  }

  /** The served datasets a checked statement reads, and every table name it uses. */
  record Checked(List<Mention> mentions, Set<String> named) {}

  private static SQLException refused(String what) {
    return new SQLException("refused: " + what + " (only queries over the served tables are answered here)",
        "42501");
  }

  /** One statement's walk: the common table expressions in scope are passed down, not kept. */
  private final class Walk {
    final Predicate<String> served;
    final List<Mention> mentions = new ArrayList<>();
    final Set<String> named = new HashSet<>();

    Walk(Predicate<String> served) {
      this.served = served;
    }

    /** A query node (SELECT, a set operation, a CTE's body) with the CTE names {@code scope} sees. */
    void query(JsonNode node, List<String> scope) throws SQLException {
      String type = node.path("type").asText();
      if (!QUERY_NODES.contains(type)) {
        throw refused("a query of kind " + type);
      }
      List<String> inner = new ArrayList<>(scope);
      // A CTE's body sees the CTEs before it, and itself only when it is recursive: DuckDB resolves any other
      // name to its catalog, whose tables and views are not the served ones.
      for (JsonNode entry : node.path("cte_map").path("map")) {
        String name = entry.path("key").asText();
        JsonNode body = entry.path("value").path("query").path("node");
        List<String> seen = new ArrayList<>(inner);
        if ("RECURSIVE_CTE_NODE".equals(body.path("type").asText())
            && name.equals(body.path("cte_name").asText())) {
          seen.add(name);
        }
        query(body, seen);
        inner.add(name);
      }
      if ("RECURSIVE_CTE_NODE".equals(type)) {
        List<String> self = new ArrayList<>(inner);
        self.add(node.path("cte_name").asText());
        inner = self;
      }
      children(node, inner, "cte_map");
    }

    /** Every field of {@code node} but those named, walked by what each holds. */
    void children(JsonNode node, List<String> scope, String... skipped) throws SQLException {
      Set<String> skip = Set.of(skipped);
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!skip.contains(field.getKey())) {
          any(field.getValue(), scope);
        }
      }
    }

    /** A value of the parse: an expression, a table reference, a query, or a structure holding them. */
    void any(JsonNode node, List<String> scope) throws SQLException {
      if (node.isArray()) {
        for (JsonNode child : node) {
          any(child, scope);
        }
      } else if (node.isObject()) {
        if (node.has("class")) {
          expression(node, scope);
        } else if (node.has("modifiers") && node.has("type")) {
          query(node, scope);
        } else if (node.has("sample") && node.has("type") && node.has("alias")) {
          table(node, scope);
        } else {
          children(node, scope);
        }
      }
    }

    void expression(JsonNode node, List<String> scope) throws SQLException {
      String kind = node.path("class").asText();
      if (!EXPRESSIONS.contains(kind)) {
        throw refused("an expression of kind " + kind);
      }
      if (kind.equals("FUNCTION") || kind.equals("WINDOW")) {
        function(node, "function");
        if (APPLY_AGGREGATE.contains(node.path("function_name").asText())) {
          JsonNode named = node.path("children").path(1);
          if (!"CONSTANT".equals(named.path("class").asText())) {
            throw refused(node.path("function_name").asText() + " with an aggregate that is not named in the query");
          }
          decide("function", named.path("value").path("value").asText());
        }
      }
      children(node, scope);
    }

    void table(JsonNode node, List<String> scope) throws SQLException {
      String type = node.path("type").asText();
      if (!TABLE_REFS.contains(type)) {
        throw refused("a table of kind " + type);
      }
      switch (type) {
        case "BASE_TABLE" -> {
          String name = node.path("table_name").asText();
          named.add(name);
          String catalog = node.path("catalog_name").asText("");
          String schema = node.path("schema_name").asText("");
          boolean qualified = !catalog.isEmpty() || !schema.isEmpty();
          if (qualified && !((catalog.isEmpty() || catalog.equals(CATALOG)) && schema.equals(SCHEMA)
              || catalog.isEmpty() && schema.equals(CATALOG))) {
            throw refused("table " + qualified(node) + " is in DuckDB's catalog, not a served table");
          }
          if (qualified || !scope.contains(name)) {
            if (!served.test(name)) {
              throw refused("no served table is named " + qualified(node));
            }
            mentions.add(new Mention((ObjectNode) node, name));
          }
          children(node, scope);
        }
        case "TABLE_FUNCTION" -> {
          JsonNode call = node.path("function");
          function(call, "table");
          children(call, scope);
          children(node, scope, "function");
        }
        case "SHOW_REF" -> {
          String show = node.path("show_type").asText();
          if (!(show.equals("DESCRIBE") || show.equals("SUMMARY")) || node.path("query").isNull()) {
            throw refused("SHOW lists DuckDB's catalog; GetTables lists the served tables");
          }
          query(node.path("query"), scope);
        }
        default -> children(node, scope);
      }
    }

    void function(JsonNode call, String kind) throws SQLException {
      String schema = call.path("schema").asText("");
      if (!(schema.isEmpty() || schema.equals("main")) || !call.path("catalog").asText("").isEmpty()) {
        throw refused("function " + schema + "." + call.path("function_name").asText() + " is outside DuckDB's "
            + "own functions");
      }
      decide(kind, call.path("function_name").asText());
    }

    void decide(String kind, String name) throws SQLException {
      if (kind.equals("function") && BINDER_FUNCTIONS.contains(name)) {
        return;
      }
      Decision decision = decisions.get(kind + " " + name);
      if (decision == null) {
        throw refused((kind.equals("table") ? "table function " : "function ") + name + ": not on the allowlist");
      }
      if (!decision.allowed()) {
        throw refused((kind.equals("table") ? "table function " : "function ") + name + ": " + decision.why());
      }
    }
  }

  private static String qualified(JsonNode node) {
    StringBuilder name = new StringBuilder();
    for (String part : new String[] {"catalog_name", "schema_name", "table_name"}) {
      String value = node.path(part).asText("");
      if (!value.isEmpty()) {
        name.append(name.length() > 0 ? "." : "").append(value);
      }
    }
    return name.toString();
  }
}
