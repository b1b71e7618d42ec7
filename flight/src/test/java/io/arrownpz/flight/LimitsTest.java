package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream slots, clients that go away mid-stream, and many clients at once (32 x 5 gets of 32 MB and 2 puts):
 * nothing lost or corrupted, nothing leaked.
 */
class LimitsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;

  private void bigFile() {
    PythonPeer.require("numpy");
    PythonPeer.run("import sys, numpy as np\nnp.save(sys.argv[1], np.arange(4_000_000, dtype='<f8'))",
        served.resolve("big.npy").toString());
  }

  private static long drain(FlightStream stream) {
    long rows = 0;
    while (stream.next()) {
      rows += stream.getRoot().getRowCount();
    }
    return rows;
  }

  private static void awaitZero(FlightService service) throws InterruptedException {
    for (int i = 0; i < 500 && service.allocatedBytes() != 0; i++) {
      Thread.sleep(10); // gRPC lets go of the last buffers it was writing
    }
    assertEquals(0, service.allocatedBytes(), "the service holds nothing once its calls ended");
  }

  @Test
  void oneStreamTooManyIsRefusedAndAClientThatGoesAwayFreesEverything() throws Exception {
    bigFile();
    ServeOptions options = ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0).withLimits(1, 1024, 1L << 30);
    try (FlightService service = FlightService.start(served, options, memory.allocator());
        FlightClient client = FlightClient.builder(memory.allocator(), new Location(service.location())).build()) {
      Ticket big = new Ticket("big.npy".getBytes(StandardCharsets.UTF_8));
      FlightStream first = client.getStream(big);
      assertTrue(first.next(), "the first stream runs (and stalls: nobody reads it)");
      FlightRuntimeException refused = assertThrows(FlightRuntimeException.class, () -> {
        try (FlightStream second = client.getStream(big)) {
          drain(second);
        }
      });
      assertEquals(FlightStatusCode.RESOURCE_EXHAUSTED, refused.status().code(), refused.getMessage());
      first.cancel("going away", null);
      first.close();
      awaitZero(service);
      try (FlightStream again = client.getStream(big)) {
        assertEquals(4_000_000, drain(again), "the slot is free again");
      }
      awaitZero(service);
    }
  }

  @Test
  void thirtyTwoClientsAtOnceGetAndPutAndTheServiceEndsEmpty() throws Exception {
    bigFile();
    ServeOptions options = ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0).withLimits(64, 65_536, 1L << 30);
    try (FlightService service = FlightService.start(served, options, memory.allocator())) {
      ExecutorService pool = Executors.newFixedThreadPool(32);
      List<Future<Long>> results = new ArrayList<>();
      java.nio.file.Path small = served.resolve("small.npy");
      PythonPeer.run("import sys, numpy as np\nnp.save(sys.argv[1], np.arange(100_000, dtype='<i8'))", small.toString());
      for (int c = 0; c < 32; c++) {
        int id = c;
        results.add(pool.submit(() -> {
          long rows = 0;
          try (FlightClient client = FlightClient.builder(memory.allocator(), new Location(service.location())).build()) {
            for (int i = 0; i < 5; i++) {
              try (FlightStream s = client.getStream(new Ticket("big.npy".getBytes(StandardCharsets.UTF_8)))) {
                double sum = 0;
                while (s.next()) {
                  rows += s.getRoot().getRowCount();
                  org.apache.arrow.vector.Float8Vector v = (org.apache.arrow.vector.Float8Vector) s.getRoot().getVector(0);
                  for (int r = 0; r < v.getValueCount(); r++) {
                    sum += v.get(r);
                  }
                }
                assertEquals(4_000_000.0 * 3_999_999 / 2, sum, "every value, once");
              }
            }
          }
          for (int i = 0; i < 2; i++) {
            FlightFiles.put(small, FileFormat.NPY, java.net.URI.create(service.location() + "/up/" + id + "-" + i
                + ".feather"), ClientOptions.DEFAULTS, memory.allocator());
          }
          return rows;
        }));
      }
      long total = 0;
      for (Future<Long> r : results) {
        total += r.get();
      }
      pool.shutdown();
      assertEquals(32L * 5 * 4_000_000, total);
      for (int c = 0; c < 32; c++) {
        for (int i = 0; i < 2; i++) {
          try (org.apache.arrow.vector.VectorSchemaRoot up = io.arrownpz.bridge.ipc.FeatherFiles.read(
              served.resolve("up/" + c + "-" + i + ".feather"), memory.allocator())) {
            assertEquals(100_000, up.getRowCount());
            assertEquals(99_999L, ((org.apache.arrow.vector.BigIntVector) up.getVector(0)).get(99_999), "upload intact");
          }
        }
      }
      awaitZero(service);
    }
  }
}
