package io.arrownpz.flightsql.internal;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The prepared statements clients hold, by a handle of 16 random bytes: each its text, what it takes and
 * gives ({@link QueryRun.Described}), and the row of parameters last bound. Nothing runs here: each
 * execution runs the text anew with the parameters of the moment.
 */
final class PreparedStatements {
  /** A prepared statement. */
  static final class Prepared {
    final String sql;
    final QueryRun.Described described;
    private volatile List<Object> parameters = List.of();

    private Prepared(String sql, QueryRun.Described described) {
      this.sql = sql;
      this.described = described;
    }

    /** The parameters last bound, in order; none before a bind. */
    List<Object> parameters() {
      return parameters;
    }
  }

  private final SecureRandom random = new SecureRandom();
  private final Map<ByteString, Prepared> byHandle = new ConcurrentHashMap<>();
  private final int most;

  /** Statements held at most {@code most} at once. */
  PreparedStatements(int most) {
    this.most = most;
  }

  /** RESOURCE_EXHAUSTED when {@code most} statements are open: checked before one is described, and at its add. */
  void checkRoom() {
    if (byHandle.size() >= most) {
      throw CallStatus.RESOURCE_EXHAUSTED.withDescription(most + " prepared statements are open on this server: "
          + "close some (ClosePreparedStatement) first").toRuntimeException();
    }
  }

  /** Keeps a statement; its handle. RESOURCE_EXHAUSTED when {@code most} are open. */
  synchronized ByteString add(String sql, QueryRun.Described described) {
    checkRoom();
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    ByteString handle = ByteString.copyFrom(bytes);
    byHandle.put(handle, new Prepared(sql, described));
    return handle;
  }

  /** The statement of {@code handle}; NOT_FOUND when it was closed, or never made by this server. */
  Prepared get(ByteString handle) {
    Prepared statement = byHandle.get(handle);
    if (statement == null) {
      throw CallStatus.NOT_FOUND.withDescription("no such prepared statement (closed, or of a server since "
          + "restarted)").toRuntimeException();
    }
    return statement;
  }

  void remove(ByteString handle) {
    byHandle.remove(handle);
  }

  /** Binds the one row of parameters {@code stream} holds (a client's DoPut) to the statement of {@code handle}. */
  void bind(ByteString handle, FlightStream stream) {
    Prepared statement = get(handle);
    List<Object> values = null;
    while (stream.next()) {
      VectorSchemaRoot root = stream.getRoot();
      if (root.getRowCount() == 0) {
        continue;
      }
      if (root.getRowCount() > 1 || values != null) {
        throw CallStatus.INVALID_ARGUMENT.withDescription("bind one row of parameters at a time").toRuntimeException();
      }
      values = new ArrayList<>();
      for (FieldVector vector : root.getFieldVectors()) {
        values.add(jdbcValue(vector.getObject(0)));
      }
    }
    statement.parameters = values == null ? List.of() : values;
  }

  /** A parameter value as DuckDB's driver binds it. */
  private static Object jdbcValue(Object arrow) {
    if (arrow instanceof org.apache.arrow.vector.util.Text text) {
      return text.toString();
    }
    return arrow;
  }

  void clear() {
    byHandle.clear();
  }
}
