package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dictionary columns whose dictionary changes from batch to batch (a Parquet file's row groups each have
 * their own, as polars and pyarrow write them): served, every batch must reach the client with its own
 * dictionary, sent again before it. pyarrow.flight reads the file's values; so does our own client, from
 * our service and from a pyarrow.flight server sending dictionary columns.
 */
class ChangingDictionariesTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;
  @TempDir Path out;

  @Test
  void everyBatchArrivesWithItsOwnDictionary() throws Exception {
    PythonPeer.require("pyarrow.flight");
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.parquet as pq
        # Row groups of 200 rows, each with the dictionary of its own chunk: the second group's values come
        # in another order, and one is new.
        cat = pa.chunked_array([pa.array(['red', 'green', None, 'blue'] * 50).dictionary_encode(),
                                pa.array(['blue', 'violet', 'red', None] * 50).dictionary_encode()])
        pq.write_table(pa.table({'n': pa.array(range(400)), 'cat': cat}), sys.argv[1] + '/groups.parquet', row_group_size=200)
        """, served.toString());
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0),
        memory.allocator())) {
      String base = service.location().toString();
      Path got = out.resolve("got.feather");
      FlightFiles.get(URI.create(base + "/groups.parquet"), got, FileFormat.FEATHER, ClientOptions.DEFAULTS,
          memory.allocator());
      String check = PythonPeer.run("""
          import sys, pyarrow as pa, pyarrow.flight as fl, pyarrow.parquet as pq, pyarrow.feather as feather
          root, location, ours = sys.argv[1], sys.argv[2], sys.argv[3]
          want = pq.read_table(root + '/groups.parquet')
          reader = fl.connect(location).do_get(fl.Ticket(b'groups.parquet'))
          served = reader.read_all()
          assert served['cat'].to_pylist() == want['cat'].to_pylist(), served['cat'].to_pylist()[195:210]
          assert feather.read_table(ours)['cat'].to_pylist() == want['cat'].to_pylist()
          print('ok')
          """, served.toString(), base, got.toString());
      assertEquals("ok", check.strip());
    }
    // Our client, from a pyarrow.flight server of a table with one dictionary column.
    Path script = out.resolve("server.py");
    Files.writeString(script, """
        import sys, pyarrow as pa, pyarrow.flight as fl
        class Server(fl.FlightServerBase):
            def do_get(self, context, ticket):
                return fl.RecordBatchStream(pa.table({'i': [1, 2, 3], 'cat': pa.array(['a', 'b', 'a']).dictionary_encode()}))
            def get_flight_info(self, context, descriptor):
                schema = pa.schema([('i', pa.int64()), ('cat', pa.dictionary(pa.int32(), pa.string()))])
                return fl.FlightInfo(schema, descriptor, [fl.FlightEndpoint(b't', [f'grpc://127.0.0.1:{self.port}'])], 3, -1)
        server = Server('grpc://127.0.0.1:0')
        print(server.port, flush=True)
        server.serve()
        """);
    Process server = new ProcessBuilder(PythonPeer.python(), script.toString()).redirectErrorStream(true).start();
    try {
      String port = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream())).readLine().strip();
      Path got = out.resolve("from_pyarrow.feather");
      FlightFiles.get(URI.create("grpc://127.0.0.1:" + port + "/t"), got, FileFormat.FEATHER, ClientOptions.DEFAULTS,
          memory.allocator());
      String check = PythonPeer.run("""
          import sys, pyarrow.feather as feather
          print(feather.read_table(sys.argv[1]).to_pydict())
          """, got.toString());
      assertEquals("{'i': [1, 2, 3], 'cat': ['a', 'b', 'a']}", check.strip());
    } finally {
      server.destroyForcibly();
    }
  }
}
