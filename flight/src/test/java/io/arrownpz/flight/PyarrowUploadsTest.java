package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads from pyarrow.flight of tables in several batches (the last one short), with nulls, strings,
 * lists, structs, time zones and a dictionary column (kept encoded), written in every format an upload can
 * name and read back by pyarrow and NumPy, every column of the type it was sent as. A batch is written
 * straight from the table Flight loads it into, which the next batch then replaces: values must come out
 * as they went in, batch after batch.
 */
class PyarrowUploadsTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;

  @Test
  void uploadsOfManyBatchesAreWrittenWithEveryValueTheClientSent() throws Exception {
    PythonPeer.require("pyarrow.flight", "numpy");
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
        .withLimits(4, 1000, 1L << 30), memory.allocator())) {
      String out = PythonPeer.run(SCRIPT, service.location().toString(), served.toString());
      JsonNode results = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
      for (String target : new String[] {"rich.feather", "rich.arrows", "rich.parquet", "undictionaried.feather",
          "undictionaried.arrows", "undictionaried.parquet", "plain.npz", "plain.feather"}) {
        assertEquals("equal", results.path(target).asText("not written"), target);
      }
      assertEquals(0, service.allocatedBytes(), "every upload gave back what it held");
    }
  }

  /**
   * A client killed in the middle of its uploads, after a first batch to each: no file is left (neither the
   * targets nor their temporary files), and the service holds nothing once it has noticed.
   */
  @Test
  void uploadsOfAClientKilledMidwayLeaveNothing() throws Exception {
    PythonPeer.require("pyarrow.flight", "numpy");
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0)
        .withLimits(8, 1000, 1L << 30), memory.allocator())) {
      Process client = new ProcessBuilder(PythonPeer.python(), "-c", KILLED_CLIENT, service.location().toString())
          .redirectErrorStream(true).start();
      try {
        String said = new java.io.BufferedReader(new java.io.InputStreamReader(client.getInputStream(),
            java.nio.charset.StandardCharsets.UTF_8)).readLine();
        assertEquals("sent", said, "the client sent a first batch of each upload");
        long started = 0;
        for (int i = 0; i < 500 && started < 3; i++) { // Feather, IPC stream, Parquet: written as batches come
          Thread.sleep(10);
          try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(served)) {
            started = files.filter(java.nio.file.Files::isRegularFile).count();
          }
        }
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(served)) {
          assertEquals(3, started, "the server has begun writing the uploads that stream to disk: "
              + files.filter(java.nio.file.Files::isRegularFile).map(served::relativize).toList());
        }
      } finally {
        client.destroyForcibly();
        client.waitFor();
      }
      for (int i = 0; i < 500 && service.allocatedBytes() != 0; i++) {
        Thread.sleep(10);
      }
      assertEquals(0, service.allocatedBytes(), "the uploads' memory is back");
      try (java.util.stream.Stream<Path> left = java.nio.file.Files.walk(served)) {
        assertEquals(java.util.List.of(), left.filter(java.nio.file.Files::isRegularFile).toList(), "no file left");
      }
    }
  }

  private static final String KILLED_CLIENT = """
      import sys, time
      import numpy as np, pyarrow as pa, pyarrow.flight as fl
      client = fl.connect(sys.argv[1])
      # Rows for more than two Parquet row groups (32,768 rows, small batches put together): Arrow's writer
      # begins the file when a group has come and the next too.
      table = pa.table({"x": np.arange(80_000, dtype="<f8"), "s": ["v%d" % k for k in range(80_000)]})
      writers = []
      for target in ("cut.feather", "cut.arrows", "cut.parquet", "cut.npz", "cutdir/"):
          writer, _ = client.do_put(fl.FlightDescriptor.for_path("up", target), table.schema)
          writer.write_table(table, max_chunksize=1000)
          writers.append(writer)
      print("sent", flush=True)
      time.sleep(60)
      """;

  private static final String SCRIPT = """
      import json, sys
      import numpy as np, pyarrow as pa, pyarrow.flight as fl
      import pyarrow.feather as feather, pyarrow.ipc as ipc, pyarrow.parquet as pq

      at, served = sys.argv[1], sys.argv[2]
      n = 25
      rich = pa.table({
          "i": pa.array([None if k % 5 == 0 else k * 7 for k in range(n)], pa.int64()),
          "f": pa.array([float("nan") if k == 3 else (None if k % 4 == 0 else k / 3) for k in range(n)]),
          "s": pa.array([None if k % 6 == 0 else "row %d %s" % (k, "é" * (k % 3)) for k in range(n)]),
          "ls": pa.array(["x" * k for k in range(n)], pa.large_string()),
          "l": pa.array([None if k % 7 == 0 else list(range(k % 4)) for k in range(n)], pa.list_(pa.int32())),
          "st": pa.array([{"a": k, "b": str(k)} for k in range(n)]),
          "t": pa.array(range(n), pa.timestamp("us", tz="Europe/Paris")),
          "b": pa.array([k % 3 == 0 for k in range(n)]),
          "d": pa.array(["red", "green", "blue", "red", "blue"] * 5).dictionary_encode(),
      })
      plain = pa.table({"a": np.arange(n, dtype="<i4"), "x": np.linspace(0, 1, n), "u": ["u%d" % k for k in range(n)]})

      def upload(table, *path):
          writer, _ = fl.connect(at).do_put(fl.FlightDescriptor.for_path(*path), table.schema)
          writer.write_table(table, max_chunksize=7)
          writer.close()

      def read(path):
          p = served + "/" + path
          if path.endswith(".parquet"):
              return pq.read_table(p)
          if path.endswith(".arrows"):
              return ipc.open_stream(p).read_all()
          return feather.read_table(p)

      results = {}
      # Every column comes back of the type it was sent as: the dictionary column stays dictionary-encoded.
      for target in ("rich.feather", "rich.arrows", "rich.parquet", "undictionaried.feather", "undictionaried.arrows",
                     "undictionaried.parquet"):
          table = rich if target.startswith("rich") else rich.drop_columns(["d"])
          upload(table, target)
          got = read(target)
          want = table
          if got.column_names != want.column_names or got.num_rows != n:
              results[target] = "shape %s" % got.schema
              continue
          # repr, not equals: NaN is not equal to itself, and the float column holds one on purpose
          bad = [c for c in want.column_names if got.column(c).type != want.column(c).type
                 or repr(got.column(c).to_pylist()) != repr(want.column(c).to_pylist())]
          results[target] = "equal" if not bad else "columns differ: %s" % bad
      upload(plain, "plain.npz")
      z = np.load(served + "/plain.npz")
      same = all(np.array_equal(z[c], plain.column(c).to_numpy(zero_copy_only=False)) for c in ("a", "x"))
      same = same and list(z["u"]) == plain.column("u").to_pylist() and z["a"].dtype == np.dtype("<i4")
      results["plain.npz"] = "equal" if same else "values differ"
      upload(plain, "plain.feather")
      results["plain.feather"] = "equal" if read("plain.feather").equals(plain) else "values differ"
      print(json.dumps(results))
      """;
}
