package io.arrownpz.flightsql.internal;

import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallInfo;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightServerMiddleware;
import org.apache.arrow.flight.RequestContext;

/**
 * The Flight SQL session a call belongs to, by the cookie Arrow's clients keep for it,
 * {@code arrow_flight_session_id} (the name Arrow's own session middleware gives it, so that every Flight
 * SQL client that keeps cookies, the JDBC driver among them, stays in its session): the id the call came
 * with, and an id given, or ended, with the call's response.
 */
final class SessionCookie implements FlightServerMiddleware {
  static final String NAME = "arrow_flight_session_id";
  static final Key<SessionCookie> KEY = Key.of("arrow-npz sql session");

  private final String sent;
  private volatile String given;
  private volatile boolean ended;

  private SessionCookie(String sent) {
    this.sent = sent;
  }

  /** Reads the session cookie of each call. */
  static final class Factory implements FlightServerMiddleware.Factory<SessionCookie> {
    @Override
    public SessionCookie onCallStarted(CallInfo info, CallHeaders incoming, RequestContext context) {
      String id = null;
      Iterable<String> headers = incoming.getAll("cookie");
      if (headers != null) {
        for (String header : headers) {
          for (String pair : header.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(NAME)) {
              id = pair.substring(equals + 1).strip();
            }
          }
        }
      }
      return new SessionCookie(id);
    }
  }

  /** A call's cookie that came with session {@code id} (null: none). */
  static SessionCookie of(String id) {
    return new SessionCookie(id);
  }

  /** The session id the call came with; null for none. */
  String sent() {
    return sent;
  }

  /** Gives the client {@code id} as its session with this call's response. */
  void give(String id) {
    given = id;
  }

  /** The session id given with this call's response; null for none. */
  String given() {
    return given;
  }

  /** Tells the client, with this call's response, that its session has ended. */
  void end() {
    ended = true;
  }

  @Override
  public void onBeforeSendingHeaders(CallHeaders outgoing) {
    if (given != null) {
      outgoing.insert("set-cookie", cookie(given, -1));
    } else if (ended && sent != null) {
      outgoing.insert("set-cookie", cookie(sent, 0));
    }
  }

  private static String cookie(String id, long maxAge) {
    return NAME + "=" + id + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
  }

  @Override
  public void onCallCompleted(CallStatus status) {}

  @Override
  public void onCallErrored(Throwable err) {}
}
