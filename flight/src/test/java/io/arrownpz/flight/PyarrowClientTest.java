package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** pyarrow.flight, the reference client, against our service. */
class PyarrowClientTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;

  @Test
  void everyDatasetComesThroughWithTheValuesThePeersReadFromTheFile() throws Exception {
    ServedDirectory.build(served);
    PythonPeer.require("pyarrow.flight", "numpy", "static_frame");
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
        .withLimits(8, 256, 1L << 30), memory.allocator())) {
      String out = PythonPeer.run(ServedDirectory.script("check_served.py"), served.toString(),
          service.location().toString());
      JsonNode results = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
      List<String> names = new ArrayList<>();
      results.fieldNames().forEachRemaining(names::add);
      for (String expected : new String[] {"npy/le_f8.npy", "npy/c3d_f4.npy", "npy/f2d_U3.npy", "npz/many_members.npz",
          "npz/packed_events.npz", "sf/simple.npz", "sf/panel_wide_mixed.npz", "sfdir/simple", "sfdir/hierarchy",
          "plain.feather", "lz4.feather", "zstd.feather", "stream.arrows", "table.parquet", "zero_rows.feather",
          "union.feather", "parts", "parts/part-0.feather"}) {
        assertTrue(names.contains(expected), expected + " listed and read; listed: " + names);
      }
      assertEquals(900, results.get("parts").get("rows").asInt(), "three partitions of 300 rows");
      assertEquals("equal", results.get("npy/le_f8.npy").get("values").asText());
      assertEquals("equal", results.get("sf/panel_tall_mixed.npz").get("values").asText());
      assertEquals("equal", results.get("npz/many_members.npz").get("values").asText());
      // 300 columns: a batch of more parts than one gathering write takes, its small parts sent copied together.
      assertEquals("equal", results.get("sf/panel_wide_columnar.npz").get("values").asText());
      long exact = names.stream().filter(n -> results.get(n).get("values").asText().equals("equal")).count();
      System.out.println("pyarrow.flight read " + names.size() + " datasets, values compared exactly in " + exact);
      assertEquals(0, service.allocatedBytes(), "every call gave back what it held");
    }
  }
}
