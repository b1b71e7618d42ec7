package io.arrownpz.flightsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.flight.FlightService;
import io.arrownpz.flight.ServeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.sql.FlightSqlClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A query past its time or memory limit fails with a clear error; the service goes on, and frees it all. */
class SqlLimitsTest {
  @TempDir Path dir;

  @Test
  void aQueryPastItsLimitsFailsAndTheServiceGoesOn() throws Exception {
    Files.writeString(dir.resolve("readme.txt"), "no datasets needed: DuckDB's range() makes the rows");
    try (BufferAllocator root = new RootAllocator()) {
      FlightService service = SqlService.start(dir, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0),
          SqlOptions.DEFAULTS.withTimeout(Duration.ofSeconds(1)).withMemoryLimit(64L << 20), root, w -> { });
      try (BufferAllocator allocator = new RootAllocator();
           FlightSqlClient client = new FlightSqlClient(FlightClient.builder(allocator,
               Location.forGrpcInsecure("127.0.0.1", service.port())).build())) {
        long start = System.nanoTime();
        FlightRuntimeException slow = assertThrows(FlightRuntimeException.class,
            () -> client.execute("SELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3"));
        assertTrue((System.nanoTime() - start) / 1e9 < 20, "stopped at its time limit");
        assertTrue(slow.getMessage().contains("time limit"), slow.getMessage());

        FlightRuntimeException big = assertThrows(FlightRuntimeException.class,
            () -> drain(client, "SELECT string_agg(range::VARCHAR, ',') FROM range(100000000)"));
        assertEquals(FlightStatusCode.RESOURCE_EXHAUSTED, big.status().code(), big.getMessage());
        assertTrue(big.getMessage().contains("Out of Memory"), big.getMessage());

        assertEquals(3L, drain(client, "SELECT count(*) FROM range(3)"), "the service goes on");
      } finally {
        service.close();
      }
    } // the root allocator's close fails if any query left a buffer behind
  }

  @Test
  void queriesTakeTheServicesStreamSlotsAndItsMemoryPerCall() throws Exception {
    Files.writeString(dir.resolve("readme.txt"), "no datasets needed: DuckDB's range() makes the rows");
    try (BufferAllocator root = new RootAllocator()) {
      FlightService service = SqlService.start(dir, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
          .withLimits(1, 65_536, 1L << 20), SqlOptions.DEFAULTS, root, w -> { });
      try (BufferAllocator allocator = new RootAllocator();
           FlightSqlClient client = new FlightSqlClient(FlightClient.builder(allocator,
               Location.forGrpcInsecure("127.0.0.1", service.port())).build())) {
        // a result waiting to be fetched holds its slot: with --max-streams 1, the next query is refused
        org.apache.arrow.flight.FlightInfo waiting = client.execute("SELECT range FROM range(10)");
        FlightRuntimeException busy = assertThrows(FlightRuntimeException.class, () -> client.execute("SELECT 1"));
        assertEquals(FlightStatusCode.RESOURCE_EXHAUSTED, busy.status().code(), busy.getMessage());
        assertTrue(busy.getMessage().contains("1 streams are running"), busy.getMessage());
        try (FlightStream stream = client.getStream(waiting.getEndpoints().get(0).getTicket())) {
          long rows = 0;
          while (stream.next()) {
            rows += stream.getRoot().getRowCount();
          }
          assertEquals(10, rows);
        }
        assertEquals(1L, drain(client, "SELECT 1"), "the slot is given back with the result");

        // a batch of 131,072 rows of two longs is 2 MiB: over --max-call-mib 1
        FlightRuntimeException wide = assertThrows(FlightRuntimeException.class,
            () -> drain(client, "SELECT range AS a, range AS b FROM range(1000000)"));
        assertEquals(FlightStatusCode.RESOURCE_EXHAUSTED, wide.status().code(), wide.getMessage());
        assertTrue(wide.getMessage().contains("--max-call-mib"), wide.getMessage());
        assertEquals(3L, drain(client, "SELECT count(*) FROM range(3)"), "the service goes on");
      } finally {
        service.close();
      }
    }
  }

  private static long drain(FlightSqlClient client, String sql) throws Exception {
    long value = -1;
    for (org.apache.arrow.flight.FlightEndpoint endpoint : client.execute(sql).getEndpoints()) {
      try (FlightStream stream = client.getStream(endpoint.getTicket())) {
        while (stream.next()) {
          if (stream.getRoot().getRowCount() > 0) {
            value = ((Number) stream.getRoot().getVector(0).getObject(0)).longValue();
          }
        }
      }
    }
    return value;
  }

}
