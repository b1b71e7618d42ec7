package io.arrownpz.flight;

import java.nio.file.Path;

/**
 * How {@link FlightFiles} talks to a service.
 *
 * @param token the bearer token to send, or null
 * @param trustedCertificate a PEM certificate to trust for {@code grpc+tls://} (a self-signed server's), or
 *     null for the system's trust store
 * @param parallelism endpoints fetched at once
 */
public record ClientOptions(String token, Path trustedCertificate, int parallelism) {
  public static final ClientOptions DEFAULTS = new ClientOptions(null, null, 4);

  public ClientOptions {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1");
    }
  }

  public ClientOptions withToken(String value) {
    return new ClientOptions(value, trustedCertificate, parallelism);
  }

  public ClientOptions withTrustedCertificate(Path value) {
    return new ClientOptions(token, value, parallelism);
  }

  public ClientOptions withParallelism(int value) {
    return new ClientOptions(token, trustedCertificate, value);
  }
}
