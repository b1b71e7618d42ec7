package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.FileFormat;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder whose files declare the same columns with and without nulls (here pyarrow's file declares a
 * field inside a struct without nulls; DuckDB 1.5 writes its {@code NOT NULL} columns as optional all the
 * same, so its file declares every column nullable) is one dataset, served with every column
 * declared nullable, as {@code convert} reads such a folder: pyarrow.flight gets each endpoint under the
 * dataset's schema, so that the endpoints' tables concatenate, with the values pyarrow reads from the files.
 * It was refused ("partitions differ in schema") and only its files were listed. The same for a Hive folder,
 * and through a coordinator whose nodes hold one kind of file each.
 */
class NullabilityDifferingFoldersTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;
  @TempDir Path out;

  private static final String WRITE = """
      import sys, os, duckdb, pyarrow as pa, pyarrow.parquet as pq
      d, sub = sys.argv[1], sys.argv[2]
      os.makedirs(f'{d}/{sub}', exist_ok=True)
      con = duckdb.connect()
      con.sql("CREATE TABLE t (id BIGINT NOT NULL, s VARCHAR NOT NULL, st STRUCT(a INTEGER))")
      con.sql("INSERT INTO t SELECT range, 'v' || range, {'a': range::INTEGER} FROM range(0, 1000)")
      con.sql(f"COPY t TO '{d}/{sub}/a_duckdb.parquet' (FORMAT parquet, ROW_GROUP_SIZE 300)")
      ids = list(range(1000, 1500))
      pq.write_table(pa.table({'id': pa.array(ids, pa.int64()),
                               's': pa.array([None if i % 7 == 0 else f'v{i}' for i in ids]),
                               'st': pa.array([{'a': i} for i in ids], pa.struct([pa.field('a', pa.int32(), nullable=False)]))}),
                     f'{d}/{sub}/b_pyarrow.parquet')
      """;

  /** Reads every endpoint of a dataset, checks each table against the stated schema, and the values. */
  private static final String READ = """
      import sys, pyarrow as pa, pyarrow.flight as fl, pyarrow.dataset as ds
      location, name, files = sys.argv[1], sys.argv[2], sys.argv[3:]
      client = fl.connect(location)
      info = client.get_flight_info(fl.FlightDescriptor.for_path(*name.split('/')))
      assert all(f.nullable for f in info.schema), info.schema
      assert info.schema.field('st').type.field('a').nullable, info.schema
      assert info.total_records == 1500, info.total_records
      tables = []
      for e in info.endpoints:
          c = fl.connect(e.locations[0]) if e.locations else client
          t = c.do_get(e.ticket).read_all()
          assert t.schema.equals(info.schema), (t.schema, info.schema)
          tables.append(t)
      got = pa.concat_tables(tables).sort_by('id')
      want = []
      for f in files:  # each file as pyarrow reads it (their schemas differ: no concat_tables)
          t = ds.dataset(f).to_table()
          want += zip(t['id'].to_pylist(), t['s'].to_pylist(), t['st'].to_pylist())
      assert list(zip(got['id'].to_pylist(), got['s'].to_pylist(), got['st'].to_pylist())) == sorted(want)
      print('ok')
      """;

  @Test
  void aFolderOfFilesDifferingInNullabilityIsServedAsOneNullableDataset() throws Exception {
    PythonPeer.require("pyarrow.flight", "duckdb");
    PythonPeer.run(WRITE, served.toString(), "mixed");
    PythonPeer.run(WRITE, served.toString(), "hive/k=1");
    Files.move(served.resolve("hive/k=1/b_pyarrow.parquet"), Files.createDirectories(served.resolve("hive/k=2"))
        .resolve("b_pyarrow.parquet"));
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0),
        memory.allocator())) {
      String location = service.location().toString();
      String listed = PythonPeer.run("""
          import sys, pyarrow.flight as fl
          print(sorted('/'.join(p.decode() for p in f.descriptor.path) for f in fl.connect(sys.argv[1]).list_flights()))
          """, location);
      assertEquals("['hive', 'hive/k=1', 'hive/k=1/a_duckdb.parquet', 'hive/k=2', 'hive/k=2/b_pyarrow.parquet', "
          + "'mixed', 'mixed/a_duckdb.parquet', 'mixed/b_pyarrow.parquet']", listed.strip());
      assertEquals("ok", PythonPeer.run(READ, location, "mixed", served.resolve("mixed/a_duckdb.parquet").toString(),
          served.resolve("mixed/b_pyarrow.parquet").toString()).strip());
      String hive = PythonPeer.run("""
          import sys, pyarrow as pa, pyarrow.flight as fl
          client = fl.connect(sys.argv[1])
          info = client.get_flight_info(fl.FlightDescriptor.for_path('hive'))
          assert all(f.nullable for f in info.schema) and info.schema.names[-1] == 'k', info.schema
          tables = [client.do_get(e.ticket).read_all() for e in info.endpoints]
          assert all(t.schema.equals(info.schema) for t in tables), [t.schema for t in tables]
          got = pa.concat_tables(tables).sort_by('id')
          assert got['k'].to_pylist() == [1] * 1000 + [2] * 500
          assert got['id'].to_pylist() == list(range(1500))
          print('ok')
          """, location);
      assertEquals("ok", hive.strip());

      // Our client, into Feather: pyarrow reads the folder's rows, the columns nullable.
      Path fetched = out.resolve("mixed.feather");
      assertEquals(1500, FlightFiles.get(URI.create(location + "/mixed"), fetched, FileFormat.FEATHER,
          ClientOptions.DEFAULTS, memory.allocator()).rows());
      String read = PythonPeer.run("""
          import sys, pyarrow.feather as feather
          t = feather.read_table(sys.argv[1]).sort_by('id')
          assert all(f.nullable for f in t.schema), t.schema
          assert t['id'].to_pylist() == list(range(1500))
          assert t['s'].to_pylist() == [f'v{i}' for i in range(1000)] + [None if i % 7 == 0 else f'v{i}' for i in range(1000, 1500)]
          print('ok')
          """, fetched.toString());
      assertEquals("ok", read.strip());
      assertEquals(0, service.allocatedBytes());
    }
  }

  @Test
  void aCoordinatorOverNodesHoldingEachKindServesTheFolderAsNullable() throws Exception {
    PythonPeer.require("pyarrow.flight", "duckdb");
    Path nodeA = Files.createDirectories(out.resolve("a"));
    Path nodeB = Files.createDirectories(out.resolve("b"));
    PythonPeer.run(WRITE, nodeA.toString(), "ds");
    Files.createDirectories(nodeB.resolve("ds"));
    Files.move(nodeA.resolve("ds/b_pyarrow.parquet"), nodeB.resolve("ds/b_pyarrow.parquet"));
    try (Cluster cluster = Cluster.over(nodeA, nodeB, out.resolve("empty"), memory.allocator())) {
      FlightService coordinator = cluster.coordinator();
      assertEquals("ok", PythonPeer.run(READ, coordinator.location().toString(), "ds",
          nodeA.resolve("ds/a_duckdb.parquet").toString(), nodeB.resolve("ds/b_pyarrow.parquet").toString()).strip());
      Path fetched = out.resolve("ds.parquet");
      assertEquals(1500, FlightFiles.get(URI.create(coordinator.location() + "/ds"), fetched, FileFormat.PARQUET,
          ClientOptions.DEFAULTS, memory.allocator()).rows());
    }
  }

  /**
   * A Hive folder spread over nodes that describe it with different nullability (one holds pyarrow's file,
   * with a required field in a struct, the other DuckDB's and a copy of pyarrow's): the coordinator states
   * the dataset with every column nullable and marks its tickets, so that every endpoint comes under the
   * stated schema from either node (a file of no rows too), and the file on both nodes stays one endpoint.
   * It was refused ("nodes describe it with different schemas").
   */
  @Test
  void aCoordinatorOverNodesHoldingEachKindServesAHiveFolderAsNullable() throws Exception {
    PythonPeer.require("pyarrow.flight", "duckdb");
    Path nodeA = Files.createDirectories(out.resolve("a"));
    Path nodeB = Files.createDirectories(out.resolve("b"));
    PythonPeer.run(WRITE, nodeA.toString(), "hive/k=1");
    Files.move(nodeA.resolve("hive/k=1/b_pyarrow.parquet"), Files.createDirectories(nodeB.resolve("hive/k=2"))
        .resolve("b_pyarrow.parquet"));
    // pyarrow's file (a required field in a struct) on both nodes: node B, which holds it alone, describes the
    // dataset with that field required; node A, which holds DuckDB's file too, with every column nullable
    Files.copy(nodeB.resolve("hive/k=2/b_pyarrow.parquet"), Files.createDirectories(nodeA.resolve("hive/k=2"))
        .resolve("b_pyarrow.parquet"));
    // and a file of no rows beside it on node B, its field required too
    PythonPeer.run("""
        import sys, pyarrow as pa, pyarrow.parquet as pq
        t = pq.read_table(sys.argv[1]).slice(0, 0)
        pq.write_table(t, sys.argv[2])
        assert pq.read_schema(sys.argv[2]).field('st').type.field('a').nullable is False
        """, nodeB.resolve("hive/k=2/b_pyarrow.parquet").toString(),
        Files.createDirectories(nodeB.resolve("hive/k=3")).resolve("empty.parquet").toString());
    try (Cluster cluster = Cluster.over(nodeA, nodeB, out.resolve("empty"), memory.allocator())) {
      FlightService coordinator = cluster.coordinator();
      String hive = PythonPeer.run("""
          import sys, pyarrow as pa, pyarrow.flight as fl
          client = fl.connect(sys.argv[1])
          info = client.get_flight_info(fl.FlightDescriptor.for_path('hive'))
          assert all(f.nullable for f in info.schema), info.schema
          assert info.schema.field('st').type.field('a').nullable, info.schema
          assert info.schema.names[-1] == 'k' and info.total_records == 1500, (info.schema, info.total_records)
          # one endpoint a file, the file on both nodes at both their locations
          assert sorted(len(e.locations) for e in info.endpoints) == [1, 1, 2], info.endpoints
          tables = [fl.connect(e.locations[0]).do_get(e.ticket).read_all() for e in info.endpoints]
          assert all(t.schema.equals(info.schema) for t in tables), [t.schema for t in tables]
          both = next(e for e in info.endpoints if len(e.locations) == 2)
          copies = [fl.connect(l).do_get(both.ticket).read_all() for l in both.locations]
          assert copies[0].equals(copies[1]) and copies[0].schema.equals(info.schema), [c.schema for c in copies]
          got = pa.concat_tables(tables).sort_by('id')
          assert got['k'].to_pylist() == [1] * 1000 + [2] * 500
          assert got['id'].to_pylist() == list(range(1500))
          assert got['s'].to_pylist() == [f'v{i}' for i in range(1000)] + [None if i % 7 == 0 else f'v{i}' for i in range(1000, 1500)]
          assert got['st'].to_pylist() == [{'a': i} for i in range(1500)]
          print('ok')
          """, coordinator.location().toString());
      assertEquals("ok", hive.strip());
      Path fetched = out.resolve("hive.feather");
      assertEquals(1500, FlightFiles.get(URI.create(coordinator.location() + "/hive"), fetched, FileFormat.FEATHER,
          ClientOptions.DEFAULTS, memory.allocator()).rows());
      assertEquals(0, cluster.a().allocatedBytes() + cluster.b().allocatedBytes());
    }
  }

  /** Two nodes on loopback ports, serving a folder each, and a coordinator over them serving an empty one. */
  private record Cluster(FlightService a, FlightService b, FlightService coordinator) implements AutoCloseable {
    static Cluster over(Path nodeA, Path nodeB, Path empty, BufferAllocator allocator) throws Exception {
      ServeOptions loopback = ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0);
      FlightService a = FlightService.start(nodeA, loopback, allocator);
      FlightService b = null;
      try {
        b = FlightService.start(nodeB, loopback, allocator);
        return new Cluster(a, b, FlightService.start(Files.createDirectories(empty),
            loopback.withNodes(List.of(a.location(), b.location())), allocator));
      } catch (Exception e) {
        AutoCloseables.close(e, b, a);
        throw e;
      }
    }

    @Override
    public void close() throws Exception {
      AutoCloseables.close(coordinator, b, a);
    }
  }
}
