package io.arrownpz.flight.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.memory.BufferAllocator;

/** Flight clients as this project makes them, for the client commands and for a coordinator's nodes. */
public final class Clients {
  private Clients() {}

  /**
   * A client of {@code location}: TLS for {@code grpc+tls://}, trusting {@code trustedCertificate} (a
   * self-signed server's, or a private authority's) when given, the system's trust store otherwise.
   */
  public static FlightClient connect(Location location, Path trustedCertificate, BufferAllocator allocator)
      throws IOException {
    FlightClient.Builder builder = FlightClient.builder(allocator, location);
    if ("grpc+tls".equals(location.getUri().getScheme())) {
      builder.useTls();
      if (trustedCertificate != null) {
        // Read by build(), so it must outlive this method's streams: a copy in memory.
        builder.trustedCertificates(new ByteArrayInputStream(Files.readAllBytes(trustedCertificate)));
      }
    }
    return builder.build();
  }

  /** The call options that send a bearer token, or none without one. */
  public static CallOption[] auth(String token) {
    return token == null ? new CallOption[0] : new CallOption[] {new CredentialCallOption(new BearerCredentialWriter(token))};
  }
}
