package io.arrownpz.flightsql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A JDBC client that gives up on its queries, run by the tests in a JVM of its own with nothing but the
 * Flight SQL JDBC driver. For each mode it prints a line {@code MODE ms OUTCOME}, then runs {@code SELECT 42}
 * on the same connection and prints its answer:
 * {@code timeout} sets a 2 s query timeout on SQL; {@code cancel} calls {@code Statement.cancel()} 1.5 s
 * into SQL; {@code close} reads one row of SQL and closes the result and the statement.
 *
 * <pre>JdbcCancelProbe URL SQL MODE...</pre>
 */
public final class JdbcCancelProbe {
  private JdbcCancelProbe() {}

  public static void main(String[] args) throws Exception {
    ExecutorService canceller = Executors.newSingleThreadExecutor();
    try (Connection connection = DriverManager.getConnection(args[0])) {
      for (int i = 2; i < args.length; i++) {
        String mode = args[i];
        long start = System.nanoTime();
        String outcome;
        try (Statement statement = connection.createStatement()) {
          Future<?> cancel = null;
          if (mode.equals("timeout")) {
            statement.setQueryTimeout(2);
          } else if (mode.equals("cancel")) {
            cancel = canceller.submit(() -> {
              Thread.sleep(1500);
              statement.cancel();
              return null;
            });
          }
          try (ResultSet rows = statement.executeQuery(args[1])) {
            rows.next();
            outcome = "first row " + rows.getString(1);
            if (!mode.equals("close")) {
              while (rows.next()) {
                // to the end, unless cancelled
              }
              outcome = "finished";
            }
          } catch (Exception e) {
            outcome = "stopped: " + String.valueOf(e.getMessage()).replace('\n', ' ');
          }
          if (cancel != null) {
            cancel.get();
          }
        } catch (Exception e) {
          outcome = "closing failed: " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
        System.out.println(mode + "\t" + (System.nanoTime() - start) / 1_000_000 + "\t" + outcome);
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 42")) {
          rows.next();
          System.out.println("next\t" + rows.getString(1));
        }
      }
    } finally {
      canceller.shutdownNow();
    }
  }
}
