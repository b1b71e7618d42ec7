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
 * Folders partitioned the Hive way ({@code key=value} folders), as pandas, polars and DuckDB write them,
 * served as one dataset each: one endpoint per file, the keys as columns after the file's own (the file's
 * own column where it keeps one, as polars does). pyarrow.flight must get what pyarrow's own dataset reader
 * makes of the folder; our client fetches every endpoint into Parquet, which pyarrow reads back.
 */
class HivePartitionedServingTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;
  @TempDir Path out;

  @Test
  void aHivePartitionedFolderIsOneDatasetWithItsKeysAsColumns() throws Exception {
    PythonPeer.require("pyarrow.flight", "polars", "duckdb", "pandas");
    Path outside = out.resolve("outside.parquet");
    PythonPeer.run("""
        import sys, os, pandas as pd, numpy as np, polars as pl, duckdb, pyarrow as pa, pyarrow.parquet as pq
        d, outside = sys.argv[1], sys.argv[2]
        n = 3000
        city = np.array(['Paris', 'São Paulo', 'a/b c', 'x=y%z'], dtype=object)[np.arange(n) % 4]
        city[np.arange(n) % 7 == 0] = None   # a null key: __HIVE_DEFAULT_PARTITION__
        df = pd.DataFrame({'id': np.arange(n), 'v': np.arange(n) * 0.5, 'k': np.arange(n) % 3, 'city': city,
                           's': [f'row{i}' for i in range(n)]})
        df.to_parquet(d + '/pandas', partition_cols=['k', 'city'], row_group_size=400)
        # What writers leave beside the data (Spark's marker, a summary file of the schema): no parts.
        open(d + '/pandas/_SUCCESS', 'w').close()
        pq.write_metadata(pq.read_schema(next(__import__('glob').iglob(d + '/pandas/*/*/*.parquet'))),
                          d + '/pandas/_common_metadata')
        pl.from_pandas(df[['id', 'v', 'k', 's']]).write_parquet(d + '/polars', partition_by='k')
        con = duckdb.connect()
        con.register('df', df)
        con.sql(f"COPY (SELECT * FROM df) TO '{d}/duckdb' (FORMAT parquet, PARTITION_BY (k, city))")
        # Not Hive-shaped: files at two depths.
        os.makedirs(d + '/uneven/k=1/j=2'); os.makedirs(d + '/uneven/k=2')
        pq.write_table(pa.table({'x': [1]}), d + '/uneven/k=1/j=2/a.parquet')
        pq.write_table(pa.table({'x': [2]}), d + '/uneven/k=2/b.parquet')
        # A link leading out of the served directory is no part of the dataset.
        pq.write_table(pa.table({'id': [-1]}), outside)
        os.symlink(outside, d + '/polars/k=0/zz_link.parquet')
        os.makedirs(d + '/plain')
        pq.write_table(pa.table({'id': [1, 2]}), d + '/plain/a.parquet')
        os.symlink(outside, d + '/plain/b.parquet')
        """, served.toString(), outside.toString());
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0),
        memory.allocator())) {
      String location = service.location().toString();
      String checked = PythonPeer.run("""
          import sys, pyarrow as pa, pyarrow.flight as fl, pyarrow.dataset as ds, pyarrow.compute as pc
          root, location = sys.argv[1], sys.argv[2]
          client = fl.connect(location)
          listed = {'/'.join(p.decode() for p in f.descriptor.path) for f in client.list_flights()}
          assert {'pandas', 'polars', 'duckdb'} <= listed, listed
          assert 'uneven' not in listed
          try:
              client.get_flight_info(fl.FlightDescriptor.for_path('uneven'))
              raise AssertionError('uneven served')
          except pa.ArrowKeyError as e:  # NOT_FOUND
              assert 'without data files' in str(e), e
          plain = client.get_flight_info(fl.FlightDescriptor.for_path('plain'))  # a plain folder: the same
          assert (len(plain.endpoints), plain.total_records) == (1, 2), (plain.endpoints, plain.total_records)
          def served(name):
              info = client.get_flight_info(fl.FlightDescriptor.for_path(name))
              tables = [client.do_get(e.ticket).read_all() for e in info.endpoints]
              for t in tables:
                  assert t.schema.equals(info.schema), (t.schema, info.schema)
              assert sum(len(t) for t in tables) == info.total_records
              return info, pa.concat_tables(tables).sort_by('id')
          for name, keys in (('pandas', ['k', 'city']), ('polars', ['k']), ('duckdb', ['k', 'city'])):
              info, got = served(name)
              files = [f for f in ds.dataset(root + '/' + name).files if not f.endswith('zz_link.parquet')]
              want = ds.dataset(files, partitioning='hive' if name != 'polars' else None,
                                partition_base_dir=root + '/' + name).to_table().sort_by('id')
              assert len(info.endpoints) == len(files), (name, len(info.endpoints), len(files))
              assert not any(b'zz_link' in e.ticket.ticket for e in info.endpoints)
              assert got.num_rows == 3000 == want.num_rows, (name, got.num_rows, want.num_rows)
              assert got.schema.field('k').type == pa.int64(), got.schema
              if 'city' in keys:
                  assert got.schema.field('city').type == pa.string()
                  assert got.column_names[-2:] == keys, got.column_names
              for col in want.column_names:
                  if col.startswith('__index'):
                      continue
                  w = want[col]
                  if col in ('k', 'city'):
                      w = w.cast(got[col].type)
                  assert got[col].to_pylist() == w.to_pylist(), (name, col)
          print('ok')
          """, served.toString(), location);
      assertEquals("ok", checked.strip());

      Path fetched = out.resolve("duckdb.parquet");
      FlightFiles.Transfer transfer = FlightFiles.get(URI.create(location + "/duckdb"), fetched, FileFormat.PARQUET,
          ClientOptions.DEFAULTS, memory.allocator());
      assertEquals(3000, transfer.rows());
      String read = PythonPeer.run("""
          import sys, pyarrow.parquet as pq, pyarrow.dataset as ds
          got = pq.read_table(sys.argv[1]).sort_by('id')
          want = ds.dataset(sys.argv[2], partitioning='hive').to_table().sort_by('id')
          assert got['city'].to_pylist() == want['city'].to_pylist()
          assert got['k'].to_pylist() == want['k'].cast('int64').to_pylist()
          assert got['s'].to_pylist() == want['s'].to_pylist()
          print(got.num_rows)
          """, fetched.toString(), served.resolve("duckdb").toString());
      assertEquals("3000", read.strip());
      assertEquals(0, service.allocatedBytes());
    }
  }

  /**
   * A DuckDB dataset spread over two nodes, one key's folder on both: the coordinator answers one endpoint
   * per file, the shared ones at both nodes, and pyarrow reading every endpoint gets every row once.
   */
  @Test
  void aCoordinatorServesAHivePartitionedDatasetSpreadOverNodes() throws Exception {
    PythonPeer.require("pyarrow.flight", "duckdb");
    Path nodeA = Files.createDirectories(out.resolve("a"));
    Path nodeB = Files.createDirectories(out.resolve("b"));
    PythonPeer.run("""
        import sys, shutil, duckdb
        a, b, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
        duckdb.sql(f"COPY (SELECT range AS id, range % 3 AS k, 'v' || range AS s FROM range(5000)) "
                   f"TO '{tmp}/ds' (FORMAT parquet, PARTITION_BY (k))")
        for node, keys in ((a, (0, 1)), (b, (1, 2))):
            for k in keys:
                shutil.copytree(f'{tmp}/ds/k={k}', f'{node}/ds/k={k}')
        shutil.copytree(f'{tmp}/ds', f'{a}/odd [1],{{x}}*?')  # glob's own characters in a dataset's name
        """, nodeA.toString(), nodeB.toString(), served.toString());
    ServeOptions loopback = ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0);
    try (FlightService a = FlightService.start(nodeA, loopback, memory.allocator());
        FlightService b = FlightService.start(nodeB, loopback, memory.allocator());
        FlightService coordinator = FlightService.start(Files.createDirectories(out.resolve("empty")),
            loopback.withNodes(java.util.List.of(a.location(), b.location())), memory.allocator())) {
      String checked = PythonPeer.run("""
          import sys, pyarrow as pa, pyarrow.flight as fl
          info = fl.connect(sys.argv[1]).get_flight_info(fl.FlightDescriptor.for_path('ds'))
          assert info.total_records == 5000, info.total_records
          assert info.schema.field('k').type == pa.int64(), info.schema
          assert sorted(len(e.locations) for e in info.endpoints) == [1, 1, 2], [e.locations for e in info.endpoints]
          got = pa.concat_tables([fl.connect(e.locations[-1]).do_get(e.ticket).read_all() for e in info.endpoints])
          assert sorted(got['id'].to_pylist()) == list(range(5000))
          assert all(i % 3 == k for i, k in zip(got['id'].to_pylist(), got['k'].to_pylist()))
          odd = fl.connect(sys.argv[1]).get_flight_info(fl.FlightDescriptor.for_path('odd [1],{x}*?'))
          assert (odd.total_records, len(odd.endpoints)) == (5000, 3), (odd.total_records, odd.endpoints)
          print('ok')
          """, coordinator.location().toString());
      assertEquals("ok", checked.strip());
      Path fetched = out.resolve("ds.feather");
      assertEquals(5000, FlightFiles.get(URI.create(coordinator.location() + "/ds"), fetched, FileFormat.FEATHER,
          ClientOptions.DEFAULTS, memory.allocator()).rows());
      String read = PythonPeer.run("""
          import sys, pyarrow.feather as feather
          t = feather.read_table(sys.argv[1])
          assert sorted(zip(t['id'].to_pylist(), t['k'].to_pylist(), t['s'].to_pylist())) == [(i, i % 3, f'v{i}') for i in range(5000)]
          print('ok')
          """, fetched.toString());
      assertEquals("ok", read.strip());
    }
  }
}
