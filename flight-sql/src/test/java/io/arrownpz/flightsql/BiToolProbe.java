package io.arrownpz.flightsql;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What a BI tool does on connect, run by the tests in a JVM of its own with nothing but the Flight SQL JDBC
 * driver: every no-argument {@link DatabaseMetaData} method (a line {@code method NAME ok} or {@code method
 * NAME ERROR message}, and for a result set its column count), then the catalogs, schemas, tables and
 * columns listed, 200 rows previewed of each table, and a prepared statement run with a parameter.
 *
 * <pre>BiToolProbe URL PREPARED_SQL LONG</pre>
 */
public final class BiToolProbe {
  private BiToolProbe() {}

  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection(args[0])) {
      DatabaseMetaData meta = connection.getMetaData();
      Method[] methods = DatabaseMetaData.class.getMethods();
      Arrays.sort(methods, Comparator.comparing(Method::getName));
      for (Method method : methods) {
        if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())) {
          continue;
        }
        try {
          Object value = method.invoke(meta);
          String shown = String.valueOf(value);
          if (value instanceof ResultSet rows) {
            try (rows) {
              shown = "columns=" + columns(rows) + " rows=" + count(rows);
            }
          }
          System.out.println("method\t" + method.getName() + "\tok\t" + shown.replace('\n', ' ').replace('\t', ' '));
        } catch (InvocationTargetException e) {
          System.out.println("method\t" + method.getName() + "\tERROR\t" + e.getCause());
        }
      }
      try (ResultSet catalogs = meta.getCatalogs()) {
        System.out.println("catalogs\tcolumns=" + columns(catalogs) + "\t" + count(catalogs));
      }
      try (ResultSet schemas = meta.getSchemas(null, null)) {
        System.out.println("schemas\tcolumns=" + columns(schemas) + "\t" + count(schemas));
      }
      List<String> tables = new ArrayList<>();
      List<String> qualified = new ArrayList<>();
      try (ResultSet rows = meta.getTables(null, null, "%", null)) {
        while (rows.next()) {
          tables.add(rows.getString("TABLE_NAME"));
          qualified.add("\"" + rows.getString("TABLE_CAT") + "\".\"" + rows.getString("TABLE_SCHEM") + "\".\""
              + rows.getString("TABLE_NAME") + "\"");
        }
      }
      for (int t = 0; t < tables.size(); t++) {
        String table = tables.get(t);
        int columnCount = 0;
        try (ResultSet columns = meta.getColumns(null, null, table.replace("_", "\\_"), "%")) {
          while (columns.next()) {
            columnCount++;
          }
        }
        try (ResultSet keys = meta.getPrimaryKeys(null, null, table);
             ResultSet imported = meta.getImportedKeys(null, null, table)) {
          System.out.println("keys\t" + table + "\tcolumns=" + columns(keys) + "," + columns(imported) + "\t"
              + (count(keys) + count(imported)));
        }
        try (Statement statement = connection.createStatement()) {
          statement.setMaxRows(200);
          try (ResultSet rows = statement.executeQuery("SELECT * FROM " + qualified.get(t) + " LIMIT 200")) {
            System.out.println("table\t" + table + "\t" + columnCount + "\t" + count(rows));
          }
        } catch (Exception e) {
          System.out.println("table\t" + table + "\t" + columnCount + "\tERROR " + e.getMessage().replace('\n', ' '));
        }
      }
      try (PreparedStatement prepared = connection.prepareStatement(args[1])) {
        prepared.setLong(1, Long.parseLong(args[2]));
        try (ResultSet rows = prepared.executeQuery()) {
          rows.next();
          System.out.println("prepared\t" + rows.getString(1));
        }
      }
    }
  }

  private static int columns(ResultSet rows) throws Exception {
    return rows.getMetaData().getColumnCount();
  }

  private static int count(ResultSet rows) throws Exception {
    int n = 0;
    while (rows.next()) {
      n++;
    }
    return n;
  }
}
