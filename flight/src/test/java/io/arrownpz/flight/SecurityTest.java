package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.arrownpz.NumpyTables;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TLS with a self-signed certificate made here, and tokens, with both clients: ours and pyarrow.flight. */
class SecurityTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;
  @TempDir Path keys;

  private Path[] selfSigned() throws Exception {
    Path cert = keys.resolve("cert.pem");
    Path key = keys.resolve("key.pem");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-keyout", key.toString(), "-out", cert.toString(), "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("openssl could not make a certificate: " + out);
    }
    return new Path[] {cert, key};
  }

  @Test
  void tlsWithATokenServesBothClientsAndRefusesPlainTextAndStrangers() throws Exception {
    Files.copy(Fixtures.path("npy/le_f8.npy"), served.resolve("x.npy"));
    Path[] tls = selfSigned();
    ServeOptions options = ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0).withTls(tls[0], tls[1]).withToken("t0k");
    try (FlightService service = FlightService.start(served, options, memory.allocator())) {
      URI address = URI.create(service.location() + "/x.npy");
      assertTrue(address.toString().startsWith("grpc+tls://"), address.toString());
      Path out = keys.resolve("x.feather");
      ClientOptions trusted = ClientOptions.DEFAULTS.withTrustedCertificate(tls[0]).withToken("t0k");
      FlightFiles.get(address, out, FileFormat.FEATHER, trusted, memory.allocator());
      try (VectorSchemaRoot local = NumpyTables.read(served.resolve("x.npy"), memory.allocator());
          VectorSchemaRoot back = io.arrownpz.bridge.ipc.FeatherFiles.read(out, memory.allocator())) {
        assertEquals(local.contentToTSVString(), back.contentToTSVString());
      }
      IOException untrusted = assertThrows(IOException.class, () -> FlightFiles.get(address, keys.resolve("y.feather"),
          FileFormat.FEATHER, ClientOptions.DEFAULTS.withToken("t0k"), memory.allocator()));
      assertTrue(untrusted.getMessage().contains("UNAVAILABLE"), untrusted.getMessage());
      IOException noToken = assertThrows(IOException.class, () -> FlightFiles.get(address, keys.resolve("z.feather"),
          FileFormat.FEATHER, ClientOptions.DEFAULTS.withTrustedCertificate(tls[0]), memory.allocator()));
      assertTrue(noToken.getMessage().contains("UNAUTHENTICATED"), noToken.getMessage());

      PythonPeer.require("pyarrow.flight", "numpy");
      String result = PythonPeer.run("""
          import sys, numpy as np, pyarrow.flight as fl
          port, cert, path = int(sys.argv[1]), open(sys.argv[2], "rb").read(), sys.argv[3]
          def code(call):
              try:
                  call()
                  return "ok"
              except fl.FlightUnauthenticatedError:
                  return "unauthenticated"
              except fl.FlightUnavailableError:
                  return "unavailable"
          good = fl.connect("grpc+tls://localhost:%d" % port, tls_root_certs=cert)
          auth = fl.FlightCallOptions(headers=[(b"authorization", b"Bearer t0k")])
          wrong = fl.FlightCallOptions(headers=[(b"authorization", b"Bearer nope")])
          d = fl.FlightDescriptor.for_path("x.npy")
          info = good.get_flight_info(d, auth)
          t = good.do_get(info.endpoints[0].ticket, auth).read_all()
          assert np.array_equal(t.column(0).to_numpy(), np.load(path), equal_nan=True)
          print(code(lambda: good.get_flight_info(d)), code(lambda: good.get_flight_info(d, wrong)),
                code(lambda: fl.connect("grpc://localhost:%d" % port).get_flight_info(d, auth)))
          """, String.valueOf(service.port()), tls[0].toString(), served.resolve("x.npy").toString());
      assertEquals("unauthenticated unauthenticated unavailable", result.strip());
    }
  }
  /** A coordinator over a TLS node with a self-signed certificate: reached when told to trust it, down when not. */
  @Test
  void aCoordinatorReachesTlsNodesItIsToldToTrust(@TempDir Path empty) throws Exception {
    Files.copy(Fixtures.path("npy/le_f8.npy"), served.resolve("x.npy"));
    Path[] tls = selfSigned();
    ServeOptions node = ServeOptions.DEFAULTS.withAddress("localhost", 0).withTls(tls[0], tls[1]).withToken("t0k");
    try (FlightService data = FlightService.start(served, node, memory.allocator())) {
      ServeOptions coordinator = ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0).withToken("t0k")
          .withNodes(java.util.List.of(data.location()));
      ClientOptions client = ClientOptions.DEFAULTS.withToken("t0k").withTrustedCertificate(tls[0]);
      try (FlightService trusting = FlightService.start(empty, coordinator.withNodeCertificate(tls[0]),
          memory.allocator())) {
        Path out = keys.resolve("x.feather");
        FlightFiles.get(URI.create(trusting.location() + "/x.npy"), out, FileFormat.FEATHER, client,
            memory.allocator());
        try (VectorSchemaRoot local = NumpyTables.read(served.resolve("x.npy"), memory.allocator());
            VectorSchemaRoot back = io.arrownpz.bridge.ipc.FeatherFiles.read(out, memory.allocator())) {
          assertEquals(local.contentToTSVString(), back.contentToTSVString());
        }
      }
      try (FlightService distrusting = FlightService.start(empty, coordinator, memory.allocator())) {
        IOException down = assertThrows(IOException.class, () -> FlightFiles.get(
            URI.create(distrusting.location() + "/x.npy"), keys.resolve("y.feather"), FileFormat.FEATHER, client,
            memory.allocator()));
        assertTrue(down.getMessage().contains("UNAVAILABLE") && down.getMessage().contains(data.location().toString()),
            down.getMessage());
      }
    }
  }
}
