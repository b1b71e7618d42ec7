package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arrownpz.NumpyTables;
import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Arrow Java's FlightClient against our service: reads, uploads, actions, and every refusal. */
class FlightServiceTest {
  private static final ServeOptions LOCAL = ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0);

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;
  @TempDir Path elsewhere;

  private Path copy(String fixture, String as) throws IOException {
    Path target = served.resolve(as);
    Files.createDirectories(target.getParent());
    Files.copy(Fixtures.path(fixture), target);
    return target;
  }

  private FlightClient client(FlightService service) {
    return FlightClient.builder(memory.allocator(), new Location(service.location())).build();
  }

  private static FlightStatusCode code(Runnable call) {
    return assertThrows(FlightRuntimeException.class, call::run).status().code();
  }

  private VectorSchemaRoot fetch(FlightClient client, Ticket ticket, CallOption... options) throws Exception {
    try (FlightStream stream = client.getStream(ticket, options)) {
      List<VectorSchemaRoot> batches = new ArrayList<>();
      VectorSchemaRoot all = null;
      while (stream.next()) {
        if (all == null) {
          all = VectorSchemaRoot.create(stream.getRoot().getSchema(), memory.allocator());
          all.allocateNew();
        }
        int base = all.getRowCount();
        for (int c = 0; c < all.getFieldVectors().size(); c++) {
          for (int r = 0; r < stream.getRoot().getRowCount(); r++) {
            all.getVector(c).copyFromSafe(r, base + r, stream.getRoot().getVector(c));
          }
        }
        all.setRowCount(base + stream.getRoot().getRowCount());
      }
      return all;
    }
  }

  @Test
  void aMappedArrayIsServedInBatchesWithItsValuesAndMetadata() throws Exception {
    Path file = copy("npy/le_f8.npy", "arrays/x.npy");
    try (FlightService service = FlightService.start(served, LOCAL.withLimits(8, 8, 1 << 20), memory.allocator());
        FlightClient client = client(service);
        VectorSchemaRoot local = NumpyTables.read(file, memory.allocator())) {
      FlightInfo info = client.getInfo(FlightDescriptor.path("arrays", "x.npy"));
      assertEquals(local.getSchema(), info.getSchema(), "schema and its NumPy metadata");
      assertEquals(local.getRowCount(), info.getRecords());
      assertEquals(Files.size(file), info.getBytes());
      FlightInfo same = client.getInfo(FlightDescriptor.path("arrays/x.npy"));
      assertEquals(info.getSchema(), same.getSchema(), "one string with slashes names the same dataset");
      assertEquals(info.getEndpoints(), same.getEndpoints());
      assertEquals(local.getSchema(), client.getSchema(FlightDescriptor.path("arrays/x.npy")).getSchema());
      int batches = 0;
      try (FlightStream stream = client.getStream(info.getEndpoints().get(0).getTicket())) {
        int row = 0;
        while (stream.next()) {
          batches++;
          assertTrue(stream.getRoot().getRowCount() <= 8, "batches of at most --batch-rows");
          for (int r = 0; r < stream.getRoot().getRowCount(); r++, row++) {
            assertEquals(local.getVector(0).getObject(row), stream.getRoot().getVector(0).getObject(r));
          }
        }
        assertEquals(local.getRowCount(), row);
      }
      assertEquals((local.getRowCount() + 7) / 8, batches);
      List<String> listed = new ArrayList<>();
      client.listFlights(new Criteria("arrays/*".getBytes(StandardCharsets.UTF_8)))
          .forEach(i -> listed.add(String.join("/", i.getDescriptor().getPath())));
      assertEquals(List.of("arrays/x.npy"), listed);
    }
  }

  /**
   * A file that cannot be read is left out of the listing, and the operator is told once, naming the file
   * and why: listing again, it is not said again (a log line per listing would flood the service's output).
   */
  @Test
  void aFileLeftOutOfTheListingIsWarnedOfOnce() throws Exception {
    copy("npy/le_f8.npy", "x.npy");
    Files.write(served.resolve("broken.feather"), "ARROW1 but nothing after".getBytes(StandardCharsets.US_ASCII));
    List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    try (FlightService service = FlightService.start(served, LOCAL, memory.allocator(), warnings::add);
        FlightClient client = client(service)) {
      for (int i = 0; i < 3; i++) {
        List<String> listed = new ArrayList<>();
        client.listFlights(Criteria.ALL).forEach(info -> listed.add(String.join("/", info.getDescriptor().getPath())));
        assertEquals(List.of("x.npy"), listed);
      }
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("not listed: broken.feather: cannot be read: ")
        && !warnings.get(0).contains("\n"), warnings.get(0));
  }

  @Test
  void forgedTicketsAndEscapingPathsReadNothing() throws Exception {
    copy("npy/le_f8.npy", "x.npy");
    Path secret = elsewhere.resolve("secret.npy");
    Files.copy(Fixtures.path("npy/le_i8.npy"), secret);
    Files.createSymbolicLink(served.resolve("link.npy"), secret);
    Files.createSymbolicLink(served.resolve("linked-dir"), elsewhere);
    try (FlightService service = FlightService.start(served, LOCAL, memory.allocator());
        FlightClient client = client(service)) {
      for (String forged : new String[] {"../" + elsewhere.getFileName() + "/secret.npy", secret.toString(),
          "x.npy/../../secret.npy", "./x.npy", "x.npy\0", "", "link.npy", "linked-dir/secret.npy"}) {
        FlightStatusCode code = code(() -> {
          try (FlightStream s = client.getStream(new Ticket(forged.getBytes(StandardCharsets.UTF_8)))) {
            while (s.next()) {
              // drain
            }
          } catch (FlightRuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
        assertTrue(code == FlightStatusCode.INVALID_ARGUMENT || code == FlightStatusCode.UNAUTHORIZED,
            "ticket " + forged + " refused, got " + code);
        assertEquals(code, code(() -> client.getInfo(FlightDescriptor.path(forged))), "descriptor " + forged);
      }
      assertEquals(FlightStatusCode.NOT_FOUND, code(() -> client.getInfo(FlightDescriptor.path("missing.npy"))));
      assertEquals(FlightStatusCode.INVALID_ARGUMENT, code(() -> client.getInfo(FlightDescriptor.command(new byte[1]))));
      List<String> listed = new ArrayList<>();
      client.listFlights(Criteria.ALL).forEach(i -> listed.add(String.join("/", i.getDescriptor().getPath())));
      assertFalse(listed.stream().anyMatch(n -> n.contains("secret") || n.contains("link")), "listing: " + listed);
      assertEquals(0, service.allocatedBytes());
    }
  }

  @Test
  void aTokenIsRequiredOfEveryCallWhenOneIsSet() throws Exception {
    copy("npy/le_f8.npy", "x.npy");
    try (FlightService service = FlightService.start(served, LOCAL.withToken("s3cret"), memory.allocator());
        FlightClient client = client(service)) {
      FlightDescriptor x = FlightDescriptor.path("x.npy");
      assertEquals(FlightStatusCode.UNAUTHENTICATED, code(() -> client.getInfo(x)));
      assertEquals(FlightStatusCode.UNAUTHENTICATED, code(() -> client.getInfo(x, bearer("wrong"))));
      assertEquals(FlightStatusCode.UNAUTHENTICATED, code(() -> client.listFlights(Criteria.ALL).forEach(i -> { })));
      assertEquals(FlightStatusCode.UNAUTHENTICATED, code(() -> client.listActions().forEach(a -> { })));
      FlightInfo info = client.getInfo(x, bearer("s3cret"));
      try (VectorSchemaRoot got = fetch(client, info.getEndpoints().get(0).getTicket(), bearer("s3cret"))) {
        assertEquals(info.getRecords(), got.getRowCount());
      }
    }
  }

  /** A server that is not there: the error says so, not only gRPC's "io exception". */
  @Test
  void aServerThatIsNotThereIsSaidToRefuseTheConnection() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort(); // free once closed
    }
    URI nowhere = URI.create("grpc://127.0.0.1:" + port + "/x.npz");
    IOException down = assertThrows(IOException.class, () -> FlightFiles.get(nowhere, served.resolve("x.feather"),
        FileFormat.FEATHER, ClientOptions.DEFAULTS, memory.allocator()));
    assertTrue(down.getMessage().startsWith(nowhere + ": UNAVAILABLE:") && down.getMessage().contains("Connection refused"),
        down.getMessage());
  }

  @Test
  void bindingBeyondLoopbackWithoutATokenIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FlightService.start(served, ServeOptions.DEFAULTS.withAddress("0.0.0.0", 0), memory.allocator()));
    assertTrue(e.getMessage().contains("without a token"), e.getMessage());
  }

  @Test
  void uploadsAreWrittenInTheFormatTheirNameSaysAndNeverOverAnything() throws Exception {
    Path source = Fixtures.path("sf/panel_tall_mixed.npz");
    try (FlightService service = FlightService.start(served, LOCAL.withLimits(4, 1000, 1L << 30), memory.allocator())) {
      URI base = service.location();
      for (String target : new String[] {"up/frame.npz", "up/frame.feather", "up/frame.arrows", "up/frame.parquet",
          "up/dir/"}) {
        FlightFiles.Transfer t = FlightFiles.put(source, FileFormat.NPZ, URI.create(base + "/" + target),
            ClientOptions.DEFAULTS, memory.allocator());
        Path written = served.resolve(target);
        FileFormat format = target.endsWith("/") ? FileFormat.NPY_DIR : FileFormat.ofPath(written);
        try (VectorSchemaRoot original = NumpyTables.read(source, memory.allocator());
            VectorSchemaRoot back = new Converter(memory.allocator()).read(written, format, ConvertOptions.DEFAULTS)) {
          assertEquals(original.getRowCount(), t.rows());
          assertEquals(original.contentToTSVString(), back.contentToTSVString(), target);
        }
      }
      IOException exists = assertThrows(IOException.class, () -> FlightFiles.put(source, FileFormat.NPZ,
          URI.create(base + "/up/frame.npz"), ClientOptions.DEFAULTS, memory.allocator()));
      assertTrue(exists.getMessage().contains("ALREADY_EXISTS"), exists.getMessage());
      IOException underAFile = assertThrows(IOException.class, () -> FlightFiles.put(source, FileFormat.NPZ,
          URI.create(base + "/up/frame.npz/inside.npz"), ClientOptions.DEFAULTS, memory.allocator()));
      assertTrue(underAFile.getMessage().contains("INVALID_ARGUMENT")
          && underAFile.getMessage().contains("up/frame.npz is a file, not a folder"), underAFile.getMessage());
      IOException escape = assertThrows(IOException.class, () -> FlightFiles.put(source, FileFormat.NPZ,
          URI.create(base + "/up/../../x.npz"), ClientOptions.DEFAULTS, memory.allocator()));
      assertTrue(escape.getMessage().contains("INVALID_ARGUMENT"), escape.getMessage());
      IOException noFormat = assertThrows(IOException.class, () -> FlightFiles.put(source, FileFormat.NPZ,
          URI.create(base + "/up/frame.txt"), ClientOptions.DEFAULTS, memory.allocator()));
      assertTrue(noFormat.getMessage().contains("no format"), noFormat.getMessage());
      try (var files = Files.walk(served)) {
        assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no partial file left");
      }
      // And back again, from the service to a file of another format.
      Path out = elsewhere.resolve("got.feather");
      FlightFiles.get(URI.create(base + "/up/frame.parquet"), out, FileFormat.FEATHER, ClientOptions.DEFAULTS,
          memory.allocator());
      try (VectorSchemaRoot original = NumpyTables.read(source, memory.allocator());
          VectorSchemaRoot back = new Converter(memory.allocator()).read(out, FileFormat.FEATHER, ConvertOptions.DEFAULTS)) {
        assertEquals(original.contentToTSVString(), back.contentToTSVString());
      }
      assertEquals(0, service.allocatedBytes());
    }
    try (FlightService readOnly = FlightService.start(served, LOCAL.withReadOnly(true), memory.allocator())) {
      IOException refused = assertThrows(IOException.class, () -> FlightFiles.put(source, FileFormat.NPZ,
          URI.create(readOnly.location() + "/up/other.npz"), ClientOptions.DEFAULTS, memory.allocator()));
      assertTrue(refused.getMessage().contains("read-only"), refused.getMessage());
      assertFalse(Files.exists(served.resolve("up/other.npz")));
    }
  }

  @Test
  void packActionWritesAPackedDatasetBesideItsSource() throws Exception {
    PythonSource.events(served.resolve("events.feather"));
    try (FlightService service = FlightService.start(served, LOCAL, memory.allocator());
        FlightClient client = client(service)) {
      assertEquals(List.of("pack"), names(client.listActions()));
      Iterator<Result> results = client.doAction(new Action("pack",
          "{\"source\": \"events.feather\", \"key\": [\"session\"], \"order_by\": \"t\"}".getBytes(StandardCharsets.UTF_8)));
      JsonNode answer = new ObjectMapper().readTree(results.next().getBody());
      assertEquals("events.packed.npz", answer.get("target").asText());
      assertEquals(3, answer.get("rows").asInt());
      try (VectorSchemaRoot packed = NumpyTables.read(served.resolve("events.packed.npz"), memory.allocator())) {
        assertEquals(3, packed.getRowCount());
        assertEquals("[1,2,3]", packed.getVector("t").getObject(0).toString());
      }
      assertEquals(FlightStatusCode.INVALID_ARGUMENT, code(() -> client.doAction(new Action("pack",
          "{\"source\": \"events.feather\"}".getBytes(StandardCharsets.UTF_8))).next()));
      assertEquals(FlightStatusCode.UNIMPLEMENTED, code(() -> client.doAction(new Action("drop", new byte[0])).next()));
    }
  }

  private static List<String> names(Iterable<org.apache.arrow.flight.ActionType> types) {
    List<String> names = new ArrayList<>();
    types.forEach(t -> names.add(t.getType()));
    return names;
  }

  private static CallOption bearer(String token) {
    return new CredentialCallOption(new BearerCredentialWriter(token));
  }
}
