package io.arrownpz.flightsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.flight.FlightService;
import io.arrownpz.flight.ServeOptions;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.adbc.core.AdbcConnection;
import org.apache.arrow.adbc.core.AdbcDatabase;
import org.apache.arrow.adbc.core.AdbcStatement;
import org.apache.arrow.adbc.driver.flightsql.FlightSqlDriver;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a BI tool asks on connect, answered: through the Flight SQL JDBC driver in a JVM of its own (every
 * no-argument {@code DatabaseMetaData} method, catalogs, schemas, tables, columns and keys with their
 * columns, a preview of each table, a prepared statement with a parameter), and through Java ADBC.
 */
class BiToolsTest {
  @TempDir static Path dir;
  private static BufferAllocator root;
  private static FlightService service;

  @BeforeAll
  static void start() throws Exception {
    PythonPeer.require("numpy", "static_frame");
    PythonPeer.run("""
        import sys, numpy as np, static_frame as sf
        d = sys.argv[1]
        np.savez(d + '/t.npz', k=np.arange(1000, dtype=np.int64) % 7, v=np.linspace(0, 1, 1000),
                 s=np.array(['a', 'bb', 'ccc'] * 333 + ['d']), when=np.arange(1000).astype('datetime64[D]'))
        np.save(d + '/x_y.npy', np.arange(300, dtype=np.int32))
        sf.Frame.from_fields([[1.5, 2.5], ['p', 'q']], columns=['price', 'tag'],
                             index=sf.Index(['mon', 'tue'], name='day')).to_npz(d + '/prices.npz')
        """, dir.toString());
    root = new RootAllocator();
    service = SqlService.start(dir, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0), SqlOptions.DEFAULTS, root,
        w -> { });
  }

  @AfterAll
  static void stop() throws Exception {
    service.close();
    root.close();
  }

  @Test
  void theJdbcDriverAnswersEveryMetadataCallAndABiToolsConnect() throws Exception {
    String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("jdbc.driver") + java.io.File.pathSeparator
        + Path.of(BiToolProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String url = "jdbc:arrow-flight-sql://127.0.0.1:" + service.port() + "/?useEncryption=false";
    Process process = new ProcessBuilder(javaCommand, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", classpath,
        BiToolProbe.class.getName(), url, "SELECT count(*) FROM \"t.npz\" WHERE k = ?", "3")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), output);
    List<String> lines = List.of(output.split("\n"));
    List<String> failed = lines.stream().filter(l -> l.startsWith("method\t") && l.contains("\tERROR\t")).toList();
    assertEquals(List.of(), failed, "every DatabaseMetaData method answers");
    assertTrue(lines.stream().filter(l -> l.startsWith("method\t")).count() > 130, output);
    for (String expected : List.of("method\tsupportsTransactions\tok\tfalse", "method\tisReadOnly\tok\ttrue",
        "method\tsupportsGroupBy\tok\ttrue", "method\tsupportsFullOuterJoins\tok\ttrue",
        "method\tgetDatabaseProductName\tok\tarrow-npz", "catalogs\tcolumns=1\t1", "schemas\tcolumns=2\t1",
        "table\tt.npz\t4\t200", "table\tx_y.npy\t1\t200", "table\tprices.npz\t3\t2", "prepared\t143")) {
      assertTrue(lines.contains(expected), expected + " in\n" + output);
    }
    String keywords = lines.stream().filter(l -> l.startsWith("method\tgetSQLKeywords\t")).findFirst().orElseThrow();
    assertTrue(keywords.contains("PIVOT") && keywords.contains("QUALIFY"), keywords);
    String numeric = lines.stream().filter(l -> l.startsWith("method\tgetNumericFunctions\t")).findFirst()
        .orElseThrow();
    assertTrue(numeric.contains("sqrt") && !numeric.contains("current_setting"), numeric);
    // getTypeInfo and the stores*Identifiers methods are the driver's own (Avatica's defaults), not asked of
    // the server: keysTypesCatalogsAndSchemasAnswerWithTheirColumns reads the server's type info through Flight SQL
    // no keys: the driver answers an empty result with no columns, whatever columns the server sends
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("keys\tt.npz\t") && l.endsWith("\t0")), output);
  }

  @Test
  void keysTypesCatalogsAndSchemasAnswerWithTheirColumns() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
         org.apache.arrow.flight.sql.FlightSqlClient client = new org.apache.arrow.flight.sql.FlightSqlClient(
             org.apache.arrow.flight.FlightClient.builder(allocator, org.apache.arrow.flight.Location.forGrpcInsecure(
                 "127.0.0.1", service.port())).build())) {
      org.apache.arrow.flight.sql.util.TableRef table = org.apache.arrow.flight.sql.util.TableRef.of("served", "main",
          "t.npz");
      List<org.apache.arrow.flight.FlightInfo> answers = List.of(client.getPrimaryKeys(table),
          client.getImportedKeys(table), client.getExportedKeys(table), client.getCatalogs(), client.getSchemas(null,
              null));
      for (int i = 0; i < answers.size(); i++) {
        org.apache.arrow.flight.FlightInfo info = answers.get(i);
        try (org.apache.arrow.flight.FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
          long rows = 0;
          while (stream.next()) {
            rows += stream.getRoot().getRowCount();
          }
          assertEquals(info.getSchema(), stream.getSchema());
          assertTrue(stream.getSchema().getFields().size() > 0);
          assertEquals(i < 3 ? 0 : 1, rows, info.getSchema().toString()); // no keys; one catalog, one schema
        }
      }
      org.apache.arrow.flight.FlightInfo types = client.getXdbcTypeInfo();
      List<String> names = new ArrayList<>();
      try (org.apache.arrow.flight.FlightStream stream = client.getStream(types.getEndpoints().get(0).getTicket())) {
        while (stream.next()) {
          for (int r = 0; r < stream.getRoot().getRowCount(); r++) {
            names.add(stream.getRoot().getVector("type_name").getObject(r) + "=" + stream.getRoot()
                .getVector("data_type").getObject(r));
          }
        }
      }
      assertTrue(names.contains("BIGINT=" + java.sql.Types.BIGINT) && names.contains("VARCHAR=" + java.sql.Types.VARCHAR)
          && names.contains("DECIMAL=" + java.sql.Types.DECIMAL) && names.size() > 20, names.toString());
    }
  }

  @Test
  void javaAdbcListsTheTablesAndRunsAPreparedStatement() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
         AdbcDatabase database = new FlightSqlDriver(allocator).open(Map.of("uri", "grpc://127.0.0.1:"
             + service.port()));
         AdbcConnection connection = database.connect()) {
      List<String> tables = new ArrayList<>();
      try (ArrowReader objects = connection.getObjects(AdbcConnection.GetObjectsDepth.ALL, null, null, null, null,
          null)) {
        while (objects.loadNextBatch()) {
          tables.add(objects.getVectorSchemaRoot().contentToTSVString());
        }
      }
      String listing = String.join("\n", tables);
      assertTrue(listing.contains("t.npz") && listing.contains("prices.npz") && listing.contains("price"), listing);
      try (AdbcStatement statement = connection.createStatement()) {
        statement.setSqlQuery("SELECT * FROM \"t.npz\" LIMIT 200");
        try (AdbcStatement.QueryResult result = statement.executeQuery()) {
          long rows = 0;
          while (result.getReader().loadNextBatch()) {
            rows += result.getReader().getVectorSchemaRoot().getRowCount();
          }
          assertEquals(200, rows);
        }
      }
      try (AdbcStatement statement = connection.createStatement()) {
        statement.setSqlQuery("SELECT count(*) FROM \"t.npz\" WHERE k = ?");
        statement.prepare();
        try (org.apache.arrow.vector.VectorSchemaRoot parameters = org.apache.arrow.vector.VectorSchemaRoot.create(
            new org.apache.arrow.vector.types.pojo.Schema(List.of(org.apache.arrow.vector.types.pojo.Field.nullable(
                "k", new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)))), allocator)) {
          ((org.apache.arrow.vector.BigIntVector) parameters.getVector(0)).setSafe(0, 3);
          parameters.setRowCount(1);
          statement.bind(parameters);
          try (AdbcStatement.QueryResult result = statement.executeQuery()) {
            assertTrue(result.getReader().loadNextBatch());
            assertEquals("143", String.valueOf(result.getReader().getVectorSchemaRoot().getVector(0).getObject(0)));
          }
        }
      }
    }
  }
}
