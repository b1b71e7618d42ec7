package io.arrownpz.flightsql.internal;

import io.arrownpz.flight.ServedDatasets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * the one catalog and schema {@code served.main}; a query names it unqualified, {@code "frames/prices.npz"},
 * or qualified as a tool writes it), their columns, the table types, the server's SQL info, and no keys.
 */
final class CatalogAnswers {
  static final String TABLE = "TABLE";
  /**
   * The catalog and schema the served tables are listed in, for tools that browse catalog by catalog
   * (ADBC's GetObjects, DBeaver); a query may name a table in them or unqualified.
   */
  static final String CATALOG = SqlAllowlist.CATALOG;
  static final String SCHEMA = SqlAllowlist.SCHEMA;

  private final ServedDatasets datasets;
  private final SqlInfoBuilder info;

  /**
   * Answers about {@code datasets}, served by arrow-npz {@code version} through a DuckDB whose keywords
   * and functions by JDBC's kinds (numeric, string, date and time, system) a tool may list.
   */
  CatalogAnswers(ServedDatasets datasets, String version, SqlDatabase.Vocabulary words) {
    this.datasets = datasets;
    String arrow = VectorSchemaRoot.class.getPackage().getImplementationVersion();
    FlightSql.SqlSupportedCaseSensitivity insensitive =
        FlightSql.SqlSupportedCaseSensitivity.SQL_CASE_SENSITIVITY_CASE_INSENSITIVE;
    this.info = new SqlInfoBuilder()
        .withFlightSqlServerName("arrow-npz")
        .withFlightSqlServerVersion(version)
        .withFlightSqlServerArrowVersion(arrow == null ? "unknown" : arrow)
        .withFlightSqlServerReadOnly(true)
        .withFlightSqlServerSql(true)
        .withFlightSqlServerSubstrait(false)
        .withFlightSqlServerTransaction(FlightSql.SqlSupportedTransaction.SQL_SUPPORTED_TRANSACTION_NONE)
        .withFlightSqlServerCancel(true)
        .withFlightSqlServerBulkIngestion(false)
        .withFlightSqlServerBulkIngestionTransaction(false)
        .withFlightSqlServerStatementTimeout(0)
        .withFlightSqlServerTransactionTimeout(0)
        // identifiers: DuckDB matches unquoted and quoted names without case, and keeps them as written
        .withSqlIdentifierQuoteChar("\"")
        .withSqlIdentifierCase(insensitive)
        .withSqlQuotedIdentifierCase(insensitive)
        .withSqlSearchStringEscape("\\")
        .withSqlExtraNameCharacters("")
        .withSqlSchemaTerm("schema")
        .withSqlCatalogTerm("catalog")
        .withSqlProcedureTerm("procedure")
        .withSqlCatalogAtStart(true)
        // nothing is defined, written or kept in a transaction: the served files are read-only
        .withSqlDdlCatalog(false)
        .withSqlDdlSchema(false)
        .withSqlDdlTable(false)
        .withSqlTransactionsSupported(false)
        .withSqlDefaultTransactionIsolation(0)
        .withSqlSupportedTransactionsIsolationLevels()
        .withSqlDataDefinitionCausesTransactionCommit(false)
        .withSqlDataDefinitionsInTransactionsIgnored(true)
        .withSqlBatchUpdatesSupported(false)
        .withSqlSavepointsSupported(false)
        .withSqlNamedParametersSupported(false)
        .withSqlLocatorsUpdateCopy(false)
        .withSqlStoredProceduresSupported(false)
        .withSqlStoredFunctionsUsingCallSyntaxSupported(false)
        .withSqlSelectForUpdateSupported(false)
        .withSqlSchemasSupportedActions()
        .withSqlCatalogsSupportedActions()
        .withSqlSupportedPositionedCommands()
        // the grammar DuckDB answers
        .withSqlSupportsColumnAliasing(true)
        .withSqlNullPlusNullIsNull(true)
        .withSqlSupportsTableCorrelationNames(true)
        .withSqlSupportsDifferentTableCorrelationNames(false)
        .withSqlSupportsExpressionsInOrderBy(true)
        .withSqlSupportsOrderByUnrelated(true)
        .withSqlSupportsLikeEscapeClause(true)
        .withSqlSupportsNonNullableColumns(true)
        .withSqlSupportsIntegrityEnhancementFacility(false)
        .withSqlCorrelatedSubqueriesSupported(true)
        .withSqlAllTablesAreSelectable(true)
        .withSqlNullOrdering(FlightSql.SqlNullOrdering.SQL_NULLS_SORTED_AT_END)
        .withSqlSupportedGroupBy(FlightSql.SqlSupportedGroupBy.SQL_GROUP_BY_UNRELATED,
            FlightSql.SqlSupportedGroupBy.SQL_GROUP_BY_BEYOND_SELECT)
        .withSqlSupportedGrammar(FlightSql.SupportedSqlGrammar.SQL_MINIMUM_GRAMMAR,
            FlightSql.SupportedSqlGrammar.SQL_CORE_GRAMMAR, FlightSql.SupportedSqlGrammar.SQL_EXTENDED_GRAMMAR)
        .withSqlAnsi92SupportedLevel(FlightSql.SupportedAnsi92SqlGrammarLevel.ANSI92_ENTRY_SQL,
            FlightSql.SupportedAnsi92SqlGrammarLevel.ANSI92_INTERMEDIATE_SQL)
        .withSqlSubQueriesSupported(FlightSql.SqlSupportedSubqueries.SQL_SUBQUERIES_IN_COMPARISONS,
            FlightSql.SqlSupportedSubqueries.SQL_SUBQUERIES_IN_EXISTS,
            FlightSql.SqlSupportedSubqueries.SQL_SUBQUERIES_IN_INS,
            FlightSql.SqlSupportedSubqueries.SQL_SUBQUERIES_IN_QUANTIFIEDS)
        .withSqlSupportedUnions(FlightSql.SqlSupportedUnions.SQL_UNION, FlightSql.SqlSupportedUnions.SQL_UNION_ALL)
        .withSqlOuterJoinSupportLevel(FlightSql.SqlOuterJoinsSupportLevel.SQL_FULL_OUTER_JOINS)
        .withSqlSupportedResultSetTypes(FlightSql.SqlSupportedResultSetType.SQL_RESULT_SET_TYPE_FORWARD_ONLY)
        .withSqlSupportsConvert(java.util.Map.of())
        .withSqlKeywords(words.keywords().toArray(String[]::new))
        .withSqlNumericFunctions(words.numeric().toArray(String[]::new))
        .withSqlStringFunctions(words.string().toArray(String[]::new))
        .withSqlSystemFunctions(words.system().toArray(String[]::new))
        .withSqlDatetimeFunctions(words.datetime().toArray(String[]::new))
        // limits: 0 is JDBC's "no limit, or not known"
        .withSqlMaxBinaryLiteralLength(0)
        .withSqlMaxCharLiteralLength(0)
        .withSqlMaxColumnNameLength(0)
        .withSqlMaxColumnsInGroupBy(0)
        .withSqlMaxColumnsInIndex(0)
        .withSqlMaxColumnsInOrderBy(0)
        .withSqlMaxColumnsInSelect(0)
        .withSqlMaxColumnsInTable(0)
        .withSqlMaxConnections(0)
        .withSqlMaxCursorNameLength(0)
        .withSqlMaxIndexLength(0)
        .withSqlDbSchemaNameLength(0)
        .withSqlMaxProcedureNameLength(0)
        .withSqlMaxCatalogNameLength(0)
        .withSqlMaxRowSize(0)
        .withSqlMaxRowSizeIncludesBlobs(true)
        .withSqlMaxStatementLength(0)
        .withSqlMaxStatements(0)
        .withSqlMaxTableNameLength(0)
        .withSqlMaxTablesInSelect(0)
        .withSqlMaxUsernameLength(0);
  }

  void sqlInfo(FlightSql.CommandGetSqlInfo command, ServerStreamListener listener) {
    info.send(command.getInfoList(), listener);
  }

  void tables(FlightSql.CommandGetTables command, BufferAllocator allocator, ServerStreamListener listener)
      throws IOException {
    boolean withSchema = command.getIncludeSchema();
    String names = command.hasTableNameFilterPattern() ? command.getTableNameFilterPattern() : null;
    boolean tables = command.getTableTypesCount() == 0 || command.getTableTypesList().contains(TABLE);
    boolean placed = (!command.hasCatalog() || command.getCatalog().equals(CATALOG))
        && (!command.hasDbSchemaFilterPattern() || like(command.getDbSchemaFilterPattern(), SCHEMA));
    Schema schema = withSchema ? FlightSqlProducer.Schemas.GET_TABLES_SCHEMA
        : FlightSqlProducer.Schemas.GET_TABLES_SCHEMA_NO_SCHEMA;
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      VarCharVector catalogName = (VarCharVector) root.getVector("catalog_name");
      VarCharVector schemaName = (VarCharVector) root.getVector("db_schema_name");
      VarCharVector name = (VarCharVector) root.getVector("table_name");
      VarCharVector type = (VarCharVector) root.getVector("table_type");
      VarBinaryVector columns = withSchema ? (VarBinaryVector) root.getVector("table_schema") : null;
      int row = 0;
      if (tables && placed) {
        for (String dataset : datasets.names()) {
          if (names != null && !like(names, dataset)) {
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
          catalogName.setSafe(row, CATALOG.getBytes(StandardCharsets.UTF_8));
          schemaName.setSafe(row, SCHEMA.getBytes(StandardCharsets.UTF_8));
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

  /**
   * An answer of no rows (no keys), as one empty batch, so that a client that takes an answer's columns
   * from its first batch finds them (the JDBC driver 18.3.0 still shows an empty answer with none).
   */
  static void none(Schema schema, BufferAllocator allocator, ServerStreamListener listener) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.setRowCount(0);
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  /** The one catalog, {@link #CATALOG}, unless {@code command} asks for another. */
  void catalogs(BufferAllocator allocator, ServerStreamListener listener) {
    try (VectorSchemaRoot root = VectorSchemaRoot.create(FlightSqlProducer.Schemas.GET_CATALOGS_SCHEMA, allocator)) {
      ((VarCharVector) root.getVector("catalog_name")).setSafe(0, CATALOG.getBytes(StandardCharsets.UTF_8));
      root.setRowCount(1);
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  /** The one schema, {@link #SCHEMA} of {@link #CATALOG}, where {@code command}'s filters match it. */
  void schemas(FlightSql.CommandGetDbSchemas command, BufferAllocator allocator, ServerStreamListener listener) {
    boolean matches = (!command.hasCatalog() || command.getCatalog().equals(CATALOG))
        && (!command.hasDbSchemaFilterPattern() || like(command.getDbSchemaFilterPattern(), SCHEMA));
    try (VectorSchemaRoot root = VectorSchemaRoot.create(FlightSqlProducer.Schemas.GET_SCHEMAS_SCHEMA, allocator)) {
      if (matches) {
        ((VarCharVector) root.getVector("catalog_name")).setSafe(0, CATALOG.getBytes(StandardCharsets.UTF_8));
        ((VarCharVector) root.getVector("db_schema_name")).setSafe(0, SCHEMA.getBytes(StandardCharsets.UTF_8));
      }
      root.setRowCount(matches ? 1 : 0);
      listener.start(root);
      listener.putNext();
      listener.completed();
    }
  }

  /**
   * Whether {@code text} matches the SQL LIKE {@code pattern} ({@code %} any run, {@code _} one character,
   * {@code \\} escapes the next). Matched by walking both, backing up only to the last {@code %}: time in
   * proportion to their lengths' product at worst, whatever the pattern (a regex of a client's pattern can
   * backtrack for ages on {@code %a%a%a%...}).
   */
  static boolean like(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int resume = 0;
    while (t < text.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '%') {
        star = ++p;
        resume = t;
      } else if (p < pattern.length() && matchesOne(pattern, p, text.charAt(t))) {
        p += pattern.charAt(p) == '\\' && p + 1 < pattern.length() ? 2 : 1;
        t++;
      } else if (star >= 0) {
        p = star;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '%') {
      p++;
    }
    return p == pattern.length();
  }

  private static boolean matchesOne(String pattern, int p, char c) {
    char wanted = pattern.charAt(p);
    if (wanted == '\\' && p + 1 < pattern.length()) {
      return pattern.charAt(p + 1) == c;
    }
    return wanted == '_' || wanted == c;
  }
}
