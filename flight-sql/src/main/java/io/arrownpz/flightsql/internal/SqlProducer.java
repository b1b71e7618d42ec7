package io.arrownpz.flightsql.internal;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.arrownpz.flight.CallLimits;
import io.arrownpz.flight.ServedDatasets;
import io.arrownpz.flight.ServiceExtension;
import io.arrownpz.flight.StreamSlots;
import io.arrownpz.flightsql.SqlOptions;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.CancelFlightInfoRequest;
import org.apache.arrow.flight.CancelStatus;
import org.apache.arrow.flight.CloseSessionRequest;
import org.apache.arrow.flight.CloseSessionResult;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightConstants;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.GetSessionOptionsRequest;
import org.apache.arrow.flight.GetSessionOptionsResult;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.SetSessionOptionsRequest;
import org.apache.arrow.flight.SetSessionOptionsResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.sql.CancelResult;
import org.apache.arrow.flight.sql.FlightSqlProducer;
import org.apache.arrow.flight.sql.NoOpFlightSqlProducer;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Flight SQL calls, answered beside the service's own: a call whose descriptor, ticket or action is a
 * Flight SQL one comes here, any other goes to the files' producer. A statement runs when its FlightInfo
 * is asked for (so that the info carries the result's schema), and its ticket fetches that run's result
 * once; a prepared statement keeps its text, its schemas and its bound parameters, and runs anew at each
 * execution.
 */
public final class SqlProducer extends NoOpFlightSqlProducer {
  private static final String SQL_COMMAND = "type.googleapis.com/arrow.flight.protocol.sql.";

  /** The session cookie each call is read for; the service registers it. */
  public static final ServiceExtension.Middleware<SessionCookie> SESSIONS =
      new ServiceExtension.Middleware<>(SessionCookie.KEY, new SessionCookie.Factory());

  private final FlightProducer files;
  private final BufferAllocator allocator;
  private final SqlOptions options;
  private final StreamSlots streams;
  private final SqlDatabase database;
  private final SqlSessions sessions;
  private final QueryRun.Setting setting;
  private final Results results;
  private final Released released = new Released();
  private final CatalogAnswers catalog;
  private final PreparedStatements prepared;

  private SqlProducer(FlightProducer files, ServedDatasets datasets, CallLimits limits, BufferAllocator allocator,
      SqlOptions options, SqlDatabase database) throws SQLException {
    this.files = files;
    this.allocator = allocator;
    this.options = options;
    this.streams = limits.streams();
    this.database = database;
    this.sessions = new SqlSessions(database, options.sessionIdle(), options.sessions());
    this.setting = new QueryRun.Setting(datasets, released, options.batchRows(), limits.callMemory());
    this.results = new Results(options.timeout());
    this.prepared = new PreparedStatements(options.preparedStatements());
    String version = SqlProducer.class.getPackage().getImplementationVersion();
    this.catalog = new CatalogAnswers(datasets, version == null ? "development" : version, database.vocabulary());
  }

  /** SQL over {@code datasets} beside {@code files}, which closing this closes too. */
  public static SqlProducer open(FlightProducer files, ServedDatasets datasets, CallLimits limits,
      BufferAllocator allocator, SqlOptions options) throws IOException {
    SqlDatabase database;
    try {
      database = SqlDatabase.open(options);
    } catch (SQLException e) {
      throw new IOException("DuckDB could not be started: " + e.getMessage(), e);
    }
    try {
      return new SqlProducer(files, datasets, limits, allocator, options, database);
    } catch (SQLException | RuntimeException e) {
      try {
        database.close();
      } catch (SQLException | IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IOException("DuckDB could not be started: " + e.getMessage(), e);
    }
  }

  private static SessionCookie cookie(CallContext context) {
    SessionCookie cookie = context.getMiddleware(SessionCookie.KEY);
    if (cookie == null) {
      throw new IllegalStateException("the SQL session middleware is not registered on this service");
    }
    return cookie;
  }

  private static boolean isSql(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return false;
    }
    try {
      return Any.parseFrom(bytes).getTypeUrl().startsWith(SQL_COMMAND);
    } catch (InvalidProtocolBufferException notOurs) {
      return false;
    }
  }

  private static boolean isSql(FlightDescriptor descriptor) {
    return descriptor.isCommand() && isSql(descriptor.getCommand());
  }

  // ---- every call: Flight SQL's here, the rest to the files' producer ----

  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    return isSql(descriptor) ? super.getFlightInfo(context, descriptor) : files.getFlightInfo(context, descriptor);
  }

  @Override
  public SchemaResult getSchema(CallContext context, FlightDescriptor descriptor) {
    return isSql(descriptor) ? super.getSchema(context, descriptor) : files.getSchema(context, descriptor);
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    if (isSql(ticket.getBytes())) {
      super.getStream(context, ticket, listener);
    } else {
      files.getStream(context, ticket, listener);
    }
  }

  @Override
  public Runnable acceptPut(CallContext context, FlightStream stream, StreamListener<PutResult> ack) {
    return isSql(stream.getDescriptor()) ? super.acceptPut(context, stream, ack) : files.acceptPut(context, stream, ack);
  }

  @Override
  public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener) {
    files.listFlights(context, criteria, listener);
  }

  @Override
  public void listActions(CallContext context, StreamListener<ActionType> listener) {
    super.listActions(context, new StreamListener<ActionType>() {
      @Override
      public void onNext(ActionType action) {
        listener.onNext(action);
      }

      @Override
      public void onError(Throwable t) {
        listener.onError(t);
      }

      @Override
      public void onCompleted() {
        files.listActions(context, listener);
      }
    });
  }

  @Override
  public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
    String type = action.getType();
    boolean sql = org.apache.arrow.flight.sql.FlightSqlUtils.FLIGHT_SQL_ACTIONS.stream()
        .anyMatch(a -> a.getType().equals(type))
        || Stream.of(FlightConstants.CANCEL_FLIGHT_INFO, FlightConstants.SET_SESSION_OPTIONS,
            FlightConstants.GET_SESSION_OPTIONS, FlightConstants.CLOSE_SESSION).anyMatch(a -> a.getType().equals(type));
    if (sql) {
      super.doAction(context, action, listener);
    } else {
      files.doAction(context, action, listener);
    }
  }

  // ---- statements ----

  @Override
  public FlightInfo getFlightInfoStatement(FlightSql.CommandStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return started(command.getQuery(), List.of(), descriptor, context, true);
  }

  @Override
  public SchemaResult getSchemaStatement(FlightSql.CommandStatementQuery command, CallContext context,
      FlightDescriptor descriptor) {
    return new SchemaResult(describe(command.getQuery(), context).dataset());
  }

  @Override
  public void getStreamStatement(FlightSql.TicketStatementQuery ticket, CallContext context,
      ServerStreamListener listener) {
    ByteString handle = ticket.getStatementHandle();
    QueryRun run = results.take(handle);
    if (run == null) {
      listener.error(CallStatus.NOT_FOUND.withDescription("no such result: fetched already, cancelled, or past the "
          + "time limit of " + options.timeout().toSeconds() + " s").toRuntimeException());
      return;
    }
    boolean sent = false;
    RuntimeException failed = null;
    try {
      sent = run.send(listener, options.timeout().toMillis(),
          executing -> results.watchCall(executing, listener::isCancelled, false));
    } catch (IOException | RuntimeException e) {
      failed = failure(run.cancelled() ? new SQLException("the query was cancelled (by the client or its "
          + "time limit of " + options.timeout().toSeconds() + " s)") : e);
    } finally {
      if (results.done(handle)) {
        run.close(); // before the client hears the end: its next query finds its session's connection free
      } else if (failed != null) {
        run.cancel(); // the result's other parts fail too; the last of them closes the run
      }
    }
    if (failed != null) {
      listener.error(failed);
    } else if (sent) {
      listener.completed();
    }
  }

  /**
   * Runs {@code sql} now, in the session of {@code context}, and keeps its result for the one ticket of the
   * info this gives.
   */
  private FlightInfo started(String sql, List<Object> parameters, FlightDescriptor descriptor, CallContext context,
      boolean parts) {
    QueryRun run;
    try {
      checkLength(sql);
      SqlSessions.Lease lease = sessions.connect(cookie(context), streams.take());
      BufferAllocator query = allocator.newChildAllocator("sql", 0, Long.MAX_VALUE);
      run = QueryRun.start(setting, lease, sql, parameters, query, executing -> {
        results.watch(executing);
        results.watchCall(executing, context::isCancelled, true);
      });
    } catch (SQLException | IOException | RuntimeException e) {
      throw failure(e.getMessage() != null && e.getMessage().contains("INTERRUPT")
          ? new SQLException("the query was cancelled: it ran past its time limit of "
              + options.timeout().toSeconds() + " s") : e);
    }
    return info(run, descriptor, parts);
  }

  /**
   * Endpoints of a result that goes on past its first batches: a client may fetch them at once, each part
   * taking the result's next batch as it is ready.
   */
  static final int PARTS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /**
   * Keeps {@code run} for the tickets of the info this gives. An executed run's first two batches are read
   * ahead: a result that ends within them is one endpoint, and the info carries its rows and bytes; a longer
   * one is {@link #PARTS} endpoints when {@code split}. A run not executed yet is one endpoint of unknown
   * size.
   */
  private FlightInfo info(QueryRun run, FlightDescriptor descriptor, boolean split) {
    try {
      Schema schema = run.schema();
      long[] size = run.executed() ? run.readAhead(2) : null;
      int parts = split && run.executed() && size == null ? PARTS : 1;
      List<FlightEndpoint> endpoints = new ArrayList<>();
      for (ByteString handle : results.add(run, parts)) {
        endpoints.add(new FlightEndpoint(new Ticket(Any.pack(FlightSql.TicketStatementQuery.newBuilder()
            .setStatementHandle(handle).build()).toByteArray())));
      }
      return new FlightInfo(schema, descriptor, endpoints, size == null ? -1 : size[1], size == null ? -1 : size[0]);
    } catch (IOException | RuntimeException e) {
      run.close();
      throw failure(e);
    }
  }

  /** A statement longer than the options take is refused before DuckDB parses it. */
  private void checkLength(String sql) throws SQLException {
    if (sql.length() > options.statementChars()) {
      throw new SQLException("refused: the statement is " + sql.length() + " characters, over the "
          + options.statementChars() + " this server takes", "54000");
    }
  }

  private QueryRun.Described describe(String sql, CallContext context) {
    try {
      checkLength(sql);
      SqlSessions.Lease lease = sessions.connect(cookie(context), streams.take());
      return QueryRun.describe(setting, lease, sql, allocator.newChildAllocator("sql describe", 0, Long.MAX_VALUE));
    } catch (SQLException | IOException | RuntimeException e) {
      throw failure(e);
    }
  }

  // ---- prepared statements ----

  @Override
  public void createPreparedStatement(FlightSql.ActionCreatePreparedStatementRequest request, CallContext context,
      StreamListener<Result> listener) {
    try {
      prepared.checkRoom();
      QueryRun.Described described = describe(request.getQuery(), context);
      ByteString handle = prepared.add(request.getQuery(), described);
      FlightSql.ActionCreatePreparedStatementResult.Builder result = FlightSql.ActionCreatePreparedStatementResult
          .newBuilder().setPreparedStatementHandle(handle)
          .setDatasetSchema(ByteString.copyFrom(described.dataset().serializeAsMessage()))
          .setParameterSchema(ByteString.copyFrom(described.parameters().serializeAsMessage()));
      listener.onNext(new Result(Any.pack(result.build()).toByteArray()));
      listener.onCompleted();
    } catch (RuntimeException e) {
      listener.onError(e);
    }
  }

  @Override
  public void closePreparedStatement(FlightSql.ActionClosePreparedStatementRequest request, CallContext context,
      StreamListener<Result> listener) {
    prepared.remove(request.getPreparedStatementHandle());
    listener.onCompleted();
  }

  @Override
  public Runnable acceptPutPreparedStatementQuery(FlightSql.CommandPreparedStatementQuery command,
      CallContext context, FlightStream stream, StreamListener<PutResult> ack) {
    return () -> {
      try {
        prepared.bind(command.getPreparedStatementHandle(), stream);
        ack.onCompleted();
      } catch (RuntimeException e) {
        ack.onError(e);
      }
    };
  }

  @Override
  public FlightInfo getFlightInfoPreparedStatement(FlightSql.CommandPreparedStatementQuery command,
      CallContext context, FlightDescriptor descriptor) {
    return preparedInfo(command, context, descriptor, true);
  }

  private FlightInfo preparedInfo(FlightSql.CommandPreparedStatementQuery command, CallContext context,
      FlightDescriptor descriptor, boolean parts) {
    PreparedStatements.Prepared statement = prepared.get(command.getPreparedStatementHandle());
    Schema schema = statement.described.dataset();
    if (schema.getFields().isEmpty()) {
      // its columns come as it runs
      return started(statement.sql, statement.parameters(), descriptor, context, parts);
    }
    QueryRun run; // executed when its ticket is fetched
    try {
      SqlSessions.Lease lease = sessions.connect(cookie(context), streams.take());
      BufferAllocator query = allocator.newChildAllocator("sql", 0, Long.MAX_VALUE);
      run = QueryRun.prepare(setting, lease, statement.sql, statement.parameters(), query, schema);
    } catch (SQLException | IOException | RuntimeException e) {
      throw failure(e);
    }
    results.watch(run); // its time limit runs from now, through the fetch that executes it
    return info(run, descriptor, false);
  }

  @Override
  public SchemaResult getSchemaPreparedStatement(FlightSql.CommandPreparedStatementQuery command,
      CallContext context, FlightDescriptor descriptor) {
    return new SchemaResult(prepared.get(command.getPreparedStatementHandle()).described.dataset());
  }

  @Override
  public void getStreamPreparedStatement(FlightSql.CommandPreparedStatementQuery command, CallContext context,
      ServerStreamListener listener) {
    // Tickets of prepared statements are those of their runs; a client that sends the command itself gets it run.
    try {
      FlightInfo info = preparedInfo(command, context, null, false); // one endpoint: this call sends it all
      FlightSql.TicketStatementQuery ticket = FlightSql.TicketStatementQuery.parseFrom(
          Any.parseFrom(info.getEndpoints().get(0).getTicket().getBytes()).getValue());
      getStreamStatement(ticket, context, listener);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      listener.error(e);
    }
  }

  @Override
  public Runnable acceptPutStatement(FlightSql.CommandStatementUpdate command, CallContext context,
      FlightStream stream, StreamListener<PutResult> ack) {
    return readOnly(ack);
  }

  @Override
  public Runnable acceptPutPreparedStatementUpdate(FlightSql.CommandPreparedStatementUpdate command,
      CallContext context, FlightStream stream, StreamListener<PutResult> ack) {
    return readOnly(ack);
  }

  private static Runnable readOnly(StreamListener<PutResult> ack) {
    return () -> ack.onError(CallStatus.UNAUTHORIZED.withDescription("only queries are answered here: the served "
        + "files are read-only").toRuntimeException());
  }

  // ---- sessions ----

  @Override
  public void setSessionOptions(SetSessionOptionsRequest request, CallContext context,
      StreamListener<SetSessionOptionsResult> listener) {
    // No option changes how the queries of a session run: DuckDB's settings are locked, and the served
    // datasets are in no catalog or schema.
    Map<String, SetSessionOptionsResult.Error> errors = new HashMap<>();
    request.getSessionOptions().keySet().forEach(name ->
        errors.put(name, new SetSessionOptionsResult.Error(SetSessionOptionsResult.ErrorValue.INVALID_NAME)));
    listener.onNext(new SetSessionOptionsResult(errors));
    listener.onCompleted();
  }

  @Override
  public void getSessionOptions(GetSessionOptionsRequest request, CallContext context,
      StreamListener<GetSessionOptionsResult> listener) {
    listener.onNext(new GetSessionOptionsResult(Map.of()));
    listener.onCompleted();
  }

  @Override
  public void closeSession(CloseSessionRequest request, CallContext context,
      StreamListener<CloseSessionResult> listener) {
    listener.onNext(new CloseSessionResult(sessions.end(cookie(context)) ? CloseSessionResult.Status.CLOSED
        : CloseSessionResult.Status.NOT_CLOSABLE));
    listener.onCompleted();
  }

  // ---- cancellation ----

  @Override
  public void cancelFlightInfo(CancelFlightInfoRequest request, CallContext context,
      StreamListener<CancelStatus> listener) {
    listener.onNext(cancel(request.getInfo()) ? CancelStatus.CANCELLED : CancelStatus.NOT_CANCELLABLE);
    listener.onCompleted();
  }

  @Override
  @SuppressWarnings("deprecation")
  public void cancelQuery(FlightInfo info, CallContext context, StreamListener<CancelResult> listener) {
    listener.onNext(cancel(info) ? CancelResult.CANCELLED : CancelResult.NOT_CANCELLABLE);
    listener.onCompleted();
  }

  private boolean cancel(FlightInfo info) {
    boolean any = false;
    for (FlightEndpoint endpoint : info.getEndpoints()) {
      try {
        Any ticket = Any.parseFrom(endpoint.getTicket().getBytes());
        if (ticket.is(FlightSql.TicketStatementQuery.class)) {
          any |= results.cancel(ticket.unpack(FlightSql.TicketStatementQuery.class).getStatementHandle());
        }
      } catch (InvalidProtocolBufferException notOurs) {
        // a ticket of the files' producer: nothing runs for it
      }
    }
    return any;
  }

  // ---- what tools ask first ----

  private static FlightInfo answeredAtOnce(Message command, FlightDescriptor descriptor, Schema schema) {
    return new FlightInfo(schema, descriptor, List.of(new FlightEndpoint(new Ticket(Any.pack(command).toByteArray()))),
        -1, -1);
  }

  @Override
  public FlightInfo getFlightInfoSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, FlightSqlProducer.Schemas.GET_SQL_INFO_SCHEMA);
  }

  @Override
  public void getStreamSqlInfo(FlightSql.CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
    catalog.sqlInfo(command, listener);
  }

  @Override
  public FlightInfo getFlightInfoTypeInfo(FlightSql.CommandGetXdbcTypeInfo command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, FlightSqlProducer.Schemas.GET_TYPE_INFO_SCHEMA);
  }

  @Override
  public void getStreamTypeInfo(FlightSql.CommandGetXdbcTypeInfo command, CallContext context,
      ServerStreamListener listener) {
    XdbcTypes.send(command.hasDataType() ? command.getDataType() : null, allocator, listener);
  }

  @Override
  public FlightInfo getFlightInfoCatalogs(FlightSql.CommandGetCatalogs command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, FlightSqlProducer.Schemas.GET_CATALOGS_SCHEMA);
  }

  @Override
  public void getStreamCatalogs(CallContext context, ServerStreamListener listener) {
    catalog.catalogs(allocator, listener);
  }

  @Override
  public FlightInfo getFlightInfoSchemas(FlightSql.CommandGetDbSchemas command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, FlightSqlProducer.Schemas.GET_SCHEMAS_SCHEMA);
  }

  @Override
  public void getStreamSchemas(FlightSql.CommandGetDbSchemas command, CallContext context,
      ServerStreamListener listener) {
    catalog.schemas(command, allocator, listener);
  }

  @Override
  public FlightInfo getFlightInfoTables(FlightSql.CommandGetTables command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, command.getIncludeSchema() ? FlightSqlProducer.Schemas.GET_TABLES_SCHEMA
        : FlightSqlProducer.Schemas.GET_TABLES_SCHEMA_NO_SCHEMA);
  }

  @Override
  public void getStreamTables(FlightSql.CommandGetTables command, CallContext context, ServerStreamListener listener) {
    try {
      catalog.tables(command, allocator, listener);
    } catch (IOException | RuntimeException e) {
      listener.error(failure(e));
    }
  }

  @Override
  public FlightInfo getFlightInfoTableTypes(FlightSql.CommandGetTableTypes command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, FlightSqlProducer.Schemas.GET_TABLE_TYPES_SCHEMA);
  }

  @Override
  public void getStreamTableTypes(CallContext context, ServerStreamListener listener) {
    catalog.tableTypes(allocator, listener);
  }

  @Override
  public FlightInfo getFlightInfoPrimaryKeys(FlightSql.CommandGetPrimaryKeys command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, FlightSqlProducer.Schemas.GET_PRIMARY_KEYS_SCHEMA);
  }

  @Override
  public void getStreamPrimaryKeys(FlightSql.CommandGetPrimaryKeys command, CallContext context,
      ServerStreamListener listener) {
    CatalogAnswers.none(FlightSqlProducer.Schemas.GET_PRIMARY_KEYS_SCHEMA, allocator, listener);
  }

  @Override
  public FlightInfo getFlightInfoExportedKeys(FlightSql.CommandGetExportedKeys command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, FlightSqlProducer.Schemas.GET_EXPORTED_KEYS_SCHEMA);
  }

  @Override
  public void getStreamExportedKeys(FlightSql.CommandGetExportedKeys command, CallContext context,
      ServerStreamListener listener) {
    CatalogAnswers.none(FlightSqlProducer.Schemas.GET_EXPORTED_KEYS_SCHEMA, allocator, listener);
  }

  @Override
  public FlightInfo getFlightInfoImportedKeys(FlightSql.CommandGetImportedKeys command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, FlightSqlProducer.Schemas.GET_IMPORTED_KEYS_SCHEMA);
  }

  @Override
  public void getStreamImportedKeys(FlightSql.CommandGetImportedKeys command, CallContext context,
      ServerStreamListener listener) {
    CatalogAnswers.none(FlightSqlProducer.Schemas.GET_IMPORTED_KEYS_SCHEMA, allocator, listener);
  }

  @Override
  public FlightInfo getFlightInfoCrossReference(FlightSql.CommandGetCrossReference command, CallContext context,
      FlightDescriptor descriptor) {
    return answeredAtOnce(command, descriptor, FlightSqlProducer.Schemas.GET_CROSS_REFERENCE_SCHEMA);
  }

  @Override
  public void getStreamCrossReference(FlightSql.CommandGetCrossReference command, CallContext context,
      ServerStreamListener listener) {
    CatalogAnswers.none(FlightSqlProducer.Schemas.GET_CROSS_REFERENCE_SCHEMA, allocator, listener);
  }

  // ---- errors and closing ----

  /** A failure as the client sees it: one line, DuckDB's own words for a query it refused. */
  private static RuntimeException failure(Exception e) {
    if (e instanceof org.apache.arrow.flight.FlightRuntimeException flight) {
      return flight;
    }
    if (e instanceof org.apache.arrow.memory.OutOfMemoryException || e.getCause()
        instanceof org.apache.arrow.memory.OutOfMemoryException) {
      return CallStatus.RESOURCE_EXHAUSTED.withDescription("the query's result is over the memory one call may "
          + "use (serve's --max-call-mib): ask for fewer or narrower rows").withCause(e).toRuntimeException();
    }
    String message = String.valueOf(e.getMessage()).strip();
    int end = message.indexOf('\n');
    String line = end < 0 ? message : message.substring(0, end);
    CallStatus status = line.contains("Out of Memory") ? CallStatus.RESOURCE_EXHAUSTED
        : line.contains("cancelled") || line.contains("Interrupted") ? CallStatus.CANCELLED
        : e instanceof SQLException ? CallStatus.INVALID_ARGUMENT : CallStatus.INTERNAL;
    return status.withDescription(line).withCause(e).toRuntimeException();
  }

  @Override
  public void close() throws Exception {
    try {
      results.close();
      prepared.clear();
      sessions.close();
      database.close();
      released.close();
    } finally {
      if (files instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }
}
