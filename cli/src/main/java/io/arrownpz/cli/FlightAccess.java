package io.arrownpz.cli;

import io.arrownpz.flight.ClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that serve, get and put share: the token file and the certificate. */
final class FlightAccess {
  @Option(names = "--token-file", paramLabel = "F", description = "File holding the bearer token (surrounding "
      + "whitespace ignored).")
  Path tokenFile;

  @Option(names = "--tls-cert", paramLabel = "C", description = "PEM certificate: the server's chain for serve; "
      + "one to trust (a self-signed server's) for get and put over grpc+tls://.")
  Path tlsCertificate;

  /** The token, or null without a token file. */
  String token() throws IOException {
    if (tokenFile == null) {
      return null;
    }
    String token = Files.readString(tokenFile).strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException(tokenFile + ": the token file is empty");
    }
    return token;
  }

  ClientOptions client(int parallelism) throws IOException {
    return new ClientOptions(token(), tlsCertificate, parallelism);
  }
}
