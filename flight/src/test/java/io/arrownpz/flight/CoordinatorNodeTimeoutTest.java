package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node slow to say what it holds (a pyarrow.flight server that takes 1.5 s to list, as a node reading
 * many files' footers for the first time does): reported down by a coordinator told to wait 0.3 s, in an
 * answer that names it; waited for by one told to wait 10 s.
 */
class CoordinatorNodeTimeoutTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  @Test
  void aSlowNodeIsWaitedForAsLongAsTheCoordinatorIsTold() throws Exception {
    PythonPeer.require("pyarrow.flight");
    Path script = Files.writeString(tmp.resolve("slow_node.py"), """
        import time, pyarrow as pa, pyarrow.flight as fl
        class SlowNode(fl.FlightServerBase):
            def list_flights(self, context, criteria):
                time.sleep(1.5)
                schema = pa.schema([('i', pa.int64())])
                yield fl.FlightInfo(schema, fl.FlightDescriptor.for_path('slow.feather'),
                                    [fl.FlightEndpoint(b'slow.feather', [])], 3, 100)
        server = SlowNode('grpc://127.0.0.1:0')
        print(server.port, flush=True)
        server.serve()
        """);
    Process node = new ProcessBuilder(PythonPeer.python(), script.toString()).redirectErrorStream(true).start();
    try {
      String port = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))
          .readLine().strip();
      URI at = URI.create("grpc://127.0.0.1:" + port);
      Path empty = Files.createDirectories(tmp.resolve("empty"));
      ServeOptions coordinator = ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0).withNodes(List.of(at));
      try (FlightService impatient = FlightService.start(empty, coordinator.withNodeTimeout(Duration.ofMillis(300)),
              memory.allocator());
          FlightClient client = FlightClient.builder(memory.allocator(), new Location(impatient.location())).build()) {
        FlightRuntimeException down = assertThrows(FlightRuntimeException.class,
            () -> client.getInfo(FlightDescriptor.path("slow.feather")));
        assertEquals(FlightStatusCode.UNAVAILABLE, down.status().code());
        assertTrue(down.getMessage().contains(at.toString()), down.getMessage());
      }
      try (FlightService patient = FlightService.start(empty, coordinator.withNodeTimeout(Duration.ofSeconds(10)),
              memory.allocator());
          FlightClient client = FlightClient.builder(memory.allocator(), new Location(patient.location())).build()) {
        FlightInfo info = client.getInfo(FlightDescriptor.path("slow.feather"));
        assertEquals(3, info.getRecords());
        assertEquals(List.of(new Location(at)), info.getEndpoints().get(0).getLocations());
      }
    } finally {
      node.destroyForcibly();
      node.waitFor();
    }
  }
}
