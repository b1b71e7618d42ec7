package io.arrownpz.flightsql;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A JDBC client as a BI tool is one, run by the tests in a JVM of its own with nothing but the Flight SQL
 * JDBC driver: prints the tables and columns the driver's metadata gives, then each query's rows (tab
 * separated, a line each), then {@code --}; a query {@code ?=V:SQL} is prepared and run with one long
 * parameter V. An error prints {@code ERROR: message} in place of the rows.
 *
 * <pre>JdbcProbe URL TABLE SQL...</pre>
 */
public final class JdbcProbe {
  private JdbcProbe() {}

  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection(args[0])) {
      DatabaseMetaData meta = connection.getMetaData();
      try (ResultSet tables = meta.getTables(null, null, "%", null)) {
        while (tables.next()) {
          System.out.println("table\t" + tables.getString("TABLE_NAME") + "\t" + tables.getString("TABLE_TYPE"));
        }
      }
      try (ResultSet columns = meta.getColumns(null, null, args[1], "%")) {
        while (columns.next()) {
          System.out.println("column\t" + columns.getString("COLUMN_NAME") + "\t" + columns.getString("TYPE_NAME"));
        }
      }
      System.out.println("--");
      for (int i = 2; i < args.length; i++) {
        try {
          if (args[i].startsWith("?=")) {
            int colon = args[i].indexOf(':');
            try (PreparedStatement prepared = connection.prepareStatement(args[i].substring(colon + 1))) {
              prepared.setLong(1, Long.parseLong(args[i].substring(2, colon)));
              try (ResultSet rows = prepared.executeQuery()) {
                print(rows);
              }
            }
          } else {
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(args[i])) {
              print(rows);
            }
          }
        } catch (SQLException e) {
          System.out.println("ERROR: " + e.getMessage().replace('\n', ' '));
        }
        System.out.println("--");
      }
    }
  }

  private static void print(ResultSet rows) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    while (rows.next()) {
      StringBuilder line = new StringBuilder();
      for (int c = 1; c <= meta.getColumnCount(); c++) {
        line.append(c > 1 ? "\t" : "").append(rows.getString(c));
      }
      System.out.println(line);
    }
  }
}
