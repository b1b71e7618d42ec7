package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrow IPC files and streams written on a big-endian machine (the Apache Arrow project's integration
 * files: primitives, dates and times, with nulls) served over Flight: each get, batch by batch through the
 * service's own message framing, gives pyarrow.flight the values pyarrow reads from the file itself.
 */
class BigEndianServingTest {
  private static final List<String> FIXTURES = List.of("generated_primitive.arrow_file", "generated_primitive.stream",
      "generated_datetime.arrow_file", "generated_datetime.stream");

  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;

  @Test
  void bigEndianFilesAreServedWithTheirValues() throws Exception {
    PythonPeer.require("pyarrow.flight");
    for (String fixture : FIXTURES) {
      Path copy = served.resolve(fixture.endsWith(".stream") ? fixture.replace(".stream", ".arrows")
          : fixture.replace(".arrow_file", ".arrow"));
      try (InputStream in = BigEndianServingTest.class.getResourceAsStream("/bigendian/" + fixture)) {
        Files.copy(in, copy);
      }
    }
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
        .withLimits(4, 16, 1L << 30), memory.allocator())) {
      String out = PythonPeer.run("""
          import os, sys, pyarrow as pa, pyarrow.flight as fl
          root, location = sys.argv[1], sys.argv[2]
          client = fl.connect(location)
          for name in sorted(os.listdir(root)):
              path = os.path.join(root, name)
              expected = (pa.ipc.open_stream if name.endswith('.arrows') else pa.ipc.open_file)(path).read_all()
              reader = client.do_get(fl.Ticket(name.encode()))
              batches = [chunk.data for chunk in reader]
              got = pa.Table.from_batches(batches, schema=reader.schema)
              assert got.column_names == expected.column_names, (name, got.column_names)
              assert got.num_rows == expected.num_rows, (name, got.num_rows, expected.num_rows)
              for i, column in enumerate(expected.columns):
                  assert got.column(i).equals(column), (name, expected.column_names[i])
              print(name, got.num_rows, len(batches))
          """, served.toString(), service.location().toString());
      // Batches of at most 16 rows: many batches a file, each sent through the framing in turn.
      assertEquals(FIXTURES.size(), out.strip().lines().count(), out);
      for (String line : out.strip().lines().toList()) {
        String[] words = line.split(" ");
        int rows = Integer.parseInt(words[1]);
        assertTrue(Integer.parseInt(words[2]) >= (rows + 15) / 16 && rows > 16, line);
      }
      assertEquals(0, service.allocatedBytes(), "every call gave back what it held");
    }
  }
}
