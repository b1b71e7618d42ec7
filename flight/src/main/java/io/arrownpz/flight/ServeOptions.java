package io.arrownpz.flight;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How {@link FlightService} serves a directory. The defaults are the safe ones: loopback only, at most 8
 * streams at once, 1 GiB per call; uploads allowed, into the directory only.
 *
 * @param host the address to bind; anything but loopback needs a token or {@code insecure}
 * @param port the port; 0 picks a free one
 * @param token the bearer token every call must carry, or null for none
 * @param tlsCertificate a PEM certificate chain to serve TLS with, or null for plain gRPC
 * @param tlsKey the PEM private key of the certificate, or null
 * @param readOnly refuse uploads and the pack action
 * @param maxStreams data streams (gets, puts, actions) at once; more are refused with RESOURCE_EXHAUSTED
 * @param batchRows rows per record batch sent (rounded down to a multiple of 8)
 * @param callMemory bytes one call may allocate, beyond views of the files it reads
 * @param insecure allow binding beyond loopback without a token
 * @param nodes data nodes ({@code grpc://HOST:PORT}) a coordinator places its datasets' files on; empty for
 *     a plain server
 * @param nodeCertificate a PEM certificate a coordinator trusts for {@code grpc+tls://} nodes (a self-signed
 *     node's, or the private authority that signed the nodes'), or null for the system's trust store
 * @param nodeTimeout how long a coordinator waits for a node to say what it holds before reporting it down
 */
public record ServeOptions(String host, int port, String token, Path tlsCertificate, Path tlsKey, boolean readOnly,
    int maxStreams, int batchRows, long callMemory, boolean insecure, List<URI> nodes, Path nodeCertificate,
    Duration nodeTimeout) {
  public static final ServeOptions DEFAULTS = new ServeOptions("127.0.0.1", 8815, null, null, null, false, 8,
      65_536, 1L << 30, false, List.of(), null, Duration.ofSeconds(5));

  public ServeOptions {
    if (maxStreams < 1) {
      throw new IllegalArgumentException("--max-streams must be at least 1");
    }
    if (batchRows < 8) {
      throw new IllegalArgumentException("--batch-rows must be at least 8");
    }
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate and its key");
    }
    if (nodeTimeout == null || nodeTimeout.isNegative() || nodeTimeout.isZero()) {
      throw new IllegalArgumentException("--node-timeout must be positive");
    }
    nodes = List.copyOf(nodes);
  }

  public ServeOptions withAddress(String value, int portValue) {
    return new ServeOptions(value, portValue, token, tlsCertificate, tlsKey, readOnly, maxStreams, batchRows,
        callMemory, insecure, nodes, nodeCertificate, nodeTimeout);
  }

  public ServeOptions withToken(String value) {
    return new ServeOptions(host, port, value, tlsCertificate, tlsKey, readOnly, maxStreams, batchRows, callMemory,
        insecure, nodes, nodeCertificate, nodeTimeout);
  }

  public ServeOptions withTls(Path certificate, Path key) {
    return new ServeOptions(host, port, token, certificate, key, readOnly, maxStreams, batchRows, callMemory,
        insecure, nodes, nodeCertificate, nodeTimeout);
  }

  public ServeOptions withReadOnly(boolean value) {
    return new ServeOptions(host, port, token, tlsCertificate, tlsKey, value, maxStreams, batchRows, callMemory,
        insecure, nodes, nodeCertificate, nodeTimeout);
  }

  public ServeOptions withLimits(int streams, int rows, long memory) {
    return new ServeOptions(host, port, token, tlsCertificate, tlsKey, readOnly, streams, rows, memory, insecure,
        nodes, nodeCertificate, nodeTimeout);
  }

  public ServeOptions withInsecure(boolean value) {
    return new ServeOptions(host, port, token, tlsCertificate, tlsKey, readOnly, maxStreams, batchRows, callMemory,
        value, nodes, nodeCertificate, nodeTimeout);
  }

  public ServeOptions withNodes(List<URI> value) {
    return new ServeOptions(host, port, token, tlsCertificate, tlsKey, readOnly, maxStreams, batchRows, callMemory,
        insecure, value, nodeCertificate, nodeTimeout);
  }

  public ServeOptions withNodeCertificate(Path value) {
    return new ServeOptions(host, port, token, tlsCertificate, tlsKey, readOnly, maxStreams, batchRows, callMemory,
        insecure, nodes, value, nodeTimeout);
  }

  public ServeOptions withNodeTimeout(Duration value) {
    return new ServeOptions(host, port, token, tlsCertificate, tlsKey, readOnly, maxStreams, batchRows, callMemory,
        insecure, nodes, nodeCertificate, value);
  }
}
