package io.arrownpz.flightsql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.flight.StreamSlots;
import io.arrownpz.flightsql.SqlOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.apache.arrow.flight.FlightRuntimeException;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A DuckDB connection per Flight SQL session, on a real DuckDB: kept, shared in turn, dropped, bounded. */
class SqlSessionsTest {
  private SqlDatabase database;
  private final StreamSlots slots = new StreamSlots(8);

  @BeforeEach
  void open() throws SQLException, java.io.IOException {
    database = SqlDatabase.open(SqlOptions.DEFAULTS);
  }

  @AfterEach
  void close() throws SQLException, java.io.IOException {
    database.close();
  }

  @Test
  void duckdbsTemporaryFilesGoToAPrivateDirectoryRemovedAtClose() throws Exception {
    SqlDatabase own = SqlDatabase.open(SqlOptions.DEFAULTS.withMemoryLimit(16L << 20).withSpillLimit(512L << 20));
    java.nio.file.Path spill = own.spillDirectory();
    try (Connection c = own.connect(); Statement s = c.createStatement()) {
      assertTrue(java.nio.file.Files.isDirectory(spill));
      assertTrue(!spill.startsWith(java.nio.file.Path.of("").toAbsolutePath()), "not under the working directory");
      assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
          java.nio.file.Files.getPosixFilePermissions(spill)));
      try (ResultSet r = s.executeQuery("SELECT current_setting('temp_directory'), "
          + "current_setting('max_temp_directory_size')")) {
        assertTrue(r.next());
        assertEquals(spill.toString(), r.getString(1));
        assertTrue(r.getString(2).startsWith("512"), r.getString(2));
      }
      // a sort of 4M rows under a 16 MiB limit spills there
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM (SELECT range AS x FROM range(4000000) "
          + "ORDER BY hash(range))")) {
        assertTrue(r.next());
        assertEquals(4_000_000L, r.getLong(1));
      }
    } finally {
      own.close();
    }
    assertTrue(!java.nio.file.Files.exists(spill), "removed when the database closes");
    // the same sort with nothing to spill to fails: the one above did spill
    try (SqlDatabase none = SqlDatabase.open(SqlOptions.DEFAULTS.withMemoryLimit(16L << 20).withSpillLimit(0));
         Connection c = none.connect(); Statement s = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT count(*) FROM (SELECT range "
          + "AS x FROM range(4000000) ORDER BY hash(range))").next());
      assertTrue(e.getMessage().contains("Out of Memory"), e.getMessage());
    }
  }

  private static long connectionId(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT current_connection_id()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aSessionsQueriesRunOnItsConnectionInTurnAndAConcurrentOneOnItsOwn() throws Exception {
    try (SqlSessions sessions = new SqlSessions(database, Duration.ofMinutes(1), 4)) {
      SessionCookie first = SessionCookie.of(null);
      DuckDBConnection once;
      try (SqlSessions.Lease lease = sessions.connect(first, slots.take())) {
        assertNotNull(first.given(), "a call without a session is given one");
        once = lease.connection();
      }
      assertTrue(once.isClosed(), "until the client comes back with its cookie, a query's connection is its own");
      long id;
      try (SqlSessions.Lease lease = sessions.connect(SessionCookie.of(first.given()), slots.take())) {
        id = connectionId(lease.connection());
      }
      SessionCookie again = SessionCookie.of(first.given());
      SqlSessions.Lease held = sessions.connect(again, slots.take());
      assertNull(again.given(), "a call in its session is given none");
      assertEquals(id, connectionId(held.connection()), "the session's connection, again");
      DuckDBConnection own;
      try (SqlSessions.Lease concurrent = sessions.connect(SessionCookie.of(first.given()), slots.take())) {
        own = concurrent.connection();
        assertNotEquals(id, connectionId(own), "a query while the session's connection is taken gets its own");
      }
      assertTrue(own.isClosed(), "closed with its query");
      assertFalse(held.connection().isClosed());
      held.close();
      assertEquals(1, sessions.size());
    }
  }

  @Test
  void aQuerysTablesAreDroppedFromTheSessionsConnectionWhenItIsDone() throws Exception {
    try (SqlSessions sessions = new SqlSessions(database, Duration.ofMinutes(1), 4)) {
      SessionCookie cookie = SessionCookie.of(null);
      sessions.connect(cookie, slots.take()).close();
      try (SqlSessions.Lease lease = sessions.connect(SessionCookie.of(cookie.given()), slots.take());
           Statement s = lease.connection().createStatement()) {
        s.execute("CREATE TEMP VIEW \"t.npz\" AS SELECT 1 AS k");
        lease.close(List.of("t.npz"));
      }
      try (SqlSessions.Lease lease = sessions.connect(SessionCookie.of(cookie.given()), slots.take());
           Statement s = lease.connection().createStatement()) {
        SQLException gone = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM \"t.npz\""));
        assertTrue(gone.getMessage().contains("t.npz"), gone.getMessage());
      }
    }
  }

  @Test
  void endingASessionClosesItsConnectionAtOnceOrWhenItsQueryIsDone() throws Exception {
    try (SqlSessions sessions = new SqlSessions(database, Duration.ofMinutes(1), 4)) {
      SessionCookie cookie = SessionCookie.of(null);
      sessions.connect(cookie, slots.take()).close();
      SqlSessions.Lease lease = sessions.connect(SessionCookie.of(cookie.given()), slots.take());
      DuckDBConnection connection = lease.connection();
      SessionCookie closing = SessionCookie.of(cookie.given());
      assertTrue(sessions.end(closing));
      assertFalse(connection.isClosed(), "its query still runs");
      lease.close();
      assertTrue(connection.isClosed(), "closed when its query is done");
      assertFalse(sessions.end(SessionCookie.of(cookie.given())), "ended already");
      SessionCookie after = SessionCookie.of(cookie.given());
      try (SqlSessions.Lease fresh = sessions.connect(after, slots.take())) {
        assertNotNull(after.given(), "an ended session's id gets a new session");
        assertNotEquals(cookie.given(), after.given());
      }
    }
  }

  @Test
  void idleSessionsAreEndedAndTheMostAreBounded() throws Exception {
    try (SqlSessions sessions = new SqlSessions(database, Duration.ofMillis(300), 2)) {
      SqlSessions.Lease a = kept(sessions);
      DuckDBConnection aConnection = a.connection();
      a.close();
      SqlSessions.Lease b = kept(sessions);
      SqlSessions.Lease c = kept(sessions); // the most: a, idle, is ended
      assertTrue(aConnection.isClosed(), "the longest idle session ended for a new one");
      FlightRuntimeException full = assertThrows(FlightRuntimeException.class,
          () -> sessions.connect(SessionCookie.of(null), slots.take()));
      assertTrue(full.getMessage().contains("2 SQL sessions"), full.getMessage());
      DuckDBConnection bConnection = b.connection();
      b.close();
      c.close();
      Thread.sleep(400);
      try (SqlSessions.Lease d = sessions.connect(SessionCookie.of(null), slots.take())) {
        assertTrue(bConnection.isClosed(), "idle past the idle time: ended at the next call");
        assertEquals(1, sessions.size());
      }
    }
  }

  @Test
  void aLeaseClosedTwiceGivesTheSessionsConnectionBackOnce() throws Exception {
    try (SqlSessions sessions = new SqlSessions(database, Duration.ofMinutes(1), 4)) {
      SessionCookie cookie = SessionCookie.of(null);
      sessions.connect(cookie, slots.take()).close();
      SqlSessions.Lease first = sessions.connect(SessionCookie.of(cookie.given()), slots.take());
      DuckDBConnection session = first.connection();
      first.close();
      try (SqlSessions.Lease second = sessions.connect(SessionCookie.of(cookie.given()), slots.take())) {
        assertEquals(session, second.connection());
        first.close(); // late, again
        try (SqlSessions.Lease third = sessions.connect(SessionCookie.of(cookie.given()), slots.take())) {
          assertNotEquals(session, third.connection(), "the session's connection is still the second query's");
        }
      }
    }
  }

  /** A lease of a new session's own connection, as its client's second call gets it. */
  private SqlSessions.Lease kept(SqlSessions sessions) throws SQLException {
    SessionCookie cookie = SessionCookie.of(null);
    sessions.connect(cookie, slots.take()).close();
    return sessions.connect(SessionCookie.of(cookie.given()), slots.take());
  }

  @Test
  void aLeaseHoldsAStreamSlotAndGivesItBack() throws Exception {
    StreamSlots one = new StreamSlots(1);
    try (SqlSessions sessions = new SqlSessions(database, Duration.ofMinutes(1), 4)) {
      SqlSessions.Lease lease = sessions.connect(SessionCookie.of(null), one.take());
      assertThrows(FlightRuntimeException.class, one::take, "the slot is held by the query");
      lease.close();
      one.take().close();
    }
    database.close();
    try (SqlSessions sessions = new SqlSessions(database, Duration.ofMinutes(1), 4)) {
      assertThrows(SQLException.class, () -> sessions.connect(SessionCookie.of(null), one.take()));
      one.take().close(); // given back when no connection could be had
    }
  }
}
