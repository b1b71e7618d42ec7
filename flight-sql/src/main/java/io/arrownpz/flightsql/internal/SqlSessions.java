package io.arrownpz.flightsql.internal;

import io.arrownpz.flight.StreamSlots;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.CallStatus;
import org.duckdb.DuckDBConnection;

/**
 * The Flight SQL sessions of a server, each with a DuckDB connection of its own, opened at the first query
 * that comes back with the session's cookie (a client that keeps no cookie starts a session at every call,
 * and its queries run on connections of their own, closed with them), and closed with the session: when the client closes the session (CloseSession), when it has been idle for the
 * idle time, when the most sessions are open and it is the longest idle, or when the server closes. A
 * session's queries run on its connection one at a time; a query that comes while another of the session
 * still runs or waits to be fetched (two open result sets of one JDBC connection) gets a connection of its
 * own for its run. A call that comes without a session gets a new one, whose id its response gives.
 */
final class SqlSessions implements AutoCloseable {
  private final SqlDatabase database;
  private final Duration idle;
  private final int most;
  private final SecureRandom random = new SecureRandom();
  // in order of last use, the longest idle first
  private final Map<String, Session> byId = new LinkedHashMap<>(16, 0.75f, true);
  private boolean closed;

  SqlSessions(SqlDatabase database, Duration idle, int most) {
    this.database = database;
    this.idle = idle;
    this.most = most;
  }

  /**
   * A connection for one query of the session {@code cookie} names (a new session, given to the client,
   * when it names none that is open), holding {@code slot} too; the caller closes it when the query is
   * done. The slot is given back if no connection can be had.
   */
  Lease connect(SessionCookie cookie, StreamSlots.Slot slot) throws SQLException {
    try {
      Session session = session(cookie);
      synchronized (session) {
        if (cookie.sent() != null && !session.closed && !session.busy) {
          if (session.connection == null) {
            session.connection = database.connect();
          }
          session.busy = true;
          return new Lease(session, session.connection, slot);
        }
      }
      return new Lease(null, database.connect(), slot);
    } catch (SQLException | RuntimeException e) {
      slot.close();
      throw e;
    }
  }

  private synchronized Session session(SessionCookie cookie) {
    if (closed) {
      throw CallStatus.UNAVAILABLE.withDescription("the server is closing").toRuntimeException();
    }
    long now = System.nanoTime();
    byId.values().removeIf(s -> s.endIfIdleSince(now - idle.toNanos()));
    Session session = cookie.sent() == null ? null : byId.get(cookie.sent());
    if (session != null) {
      return session;
    }
    if (byId.size() >= most) {
      byId.values().stream().filter(Session::endIfIdle).findFirst().ifPresentOrElse(byId.values()::remove, () -> {
        throw CallStatus.RESOURCE_EXHAUSTED.withDescription(most + " SQL sessions are running queries, the most "
            + "this server keeps; try again shortly").toRuntimeException();
      });
    }
    String id = HexFormat.of().formatHex(bytes());
    session = new Session(now);
    byId.put(id, session);
    cookie.give(id);
    return session;
  }

  private byte[] bytes() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Ends the session {@code cookie} names: true when there was one open. */
  boolean end(SessionCookie cookie) {
    Session session;
    synchronized (this) {
      session = cookie.sent() == null ? null : byId.remove(cookie.sent());
    }
    if (session == null) {
      return false;
    }
    session.end();
    cookie.end();
    return true;
  }

  /** Sessions open. */
  synchronized int size() {
    return byId.size();
  }

  @Override
  public void close() {
    List<Session> open;
    synchronized (this) {
      closed = true;
      open = new ArrayList<>(byId.values());
      byId.clear();
    }
    open.forEach(Session::end);
  }

  /** A session: its connection, when it has one, and whether a query is on it. */
  private static final class Session {
    private DuckDBConnection connection;
    private boolean busy;
    private boolean closed;
    private long lastUsed;

    Session(long now) {
      this.lastUsed = now;
    }

    synchronized boolean endIfIdleSince(long time) {
      return lastUsed < time && endIfIdle();
    }

    synchronized boolean endIfIdle() {
      if (busy) {
        return false;
      }
      end();
      return true;
    }

    /** Closes the connection now, or when its query is done. */
    synchronized void end() {
      closed = true;
      if (!busy) {
        closeConnection();
      }
    }

    private void closeConnection() {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException e) {
          // a connection DuckDB already let go
        }
        connection = null;
      }
    }
  }

  /**
   * What one query holds of the server: a stream slot, and a connection, its session's or one of its own.
   * Closing it gives the session's connection back (the query's tables dropped from it) or closes the
   * query's own, and gives the slot back.
   */
  static final class Lease implements AutoCloseable {
    private final Session session;
    private final DuckDBConnection connection;
    private final StreamSlots.Slot slot;
    private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);

    private Lease(Session session, DuckDBConnection connection, StreamSlots.Slot slot) {
      this.session = session;
      this.connection = connection;
      this.slot = slot;
    }

    DuckDBConnection connection() {
      return connection;
    }

    /** Gives the connection back once the query's {@code tables} are dropped from it; once, however often called. */
    void close(Iterable<String> tables) {
      if (!open.getAndSet(false)) {
        return; // a second close must not free a session's connection another query now holds
      }
      slot.close();
      if (session == null) {
        closeQuietly();
        return;
      }
      synchronized (session) {
        try (Statement drop = connection.createStatement()) {
          for (String table : tables) {
            drop.execute("DROP VIEW IF EXISTS \"" + table.replace("\"", "\"\"") + "\"");
          }
        } catch (SQLException e) {
          session.closed = true; // a connection that cannot be cleaned is not used again
        }
        session.busy = false;
        session.lastUsed = System.nanoTime();
        if (session.closed) {
          session.closeConnection();
        }
      }
    }

    @Override
    public void close() {
      close(java.util.List.of());
    }

    private void closeQuietly() {
      try {
        connection.close();
      } catch (SQLException e) {
        // closed already
      }
    }
  }
}
