package io.arrownpz.flight.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.AuthUtilities;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/** Lets in the calls whose {@code authorization} header carries the one bearer token; refuses the rest. */
public final class TokenAuthenticator implements CallHeaderAuthenticator {
  private final byte[] token;

  public TokenAuthenticator(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public AuthResult authenticate(CallHeaders headers) {
    String given = AuthUtilities.getValueFromAuthHeader(headers, Auth2Constants.BEARER_PREFIX);
    // Compared in constant time, so that timing tells nothing about the token.
    if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      throw CallStatus.UNAUTHENTICATED.withDescription(given == null ? "a bearer token is required"
          : "wrong bearer token").toRuntimeException();
    }
    return () -> "token holder";
  }
}
