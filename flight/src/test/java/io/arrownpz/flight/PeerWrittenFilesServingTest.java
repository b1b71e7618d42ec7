package io.arrownpz.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files polars, DuckDB and pandas write themselves, in several batches or row groups, served: polars'
 * Feather with string views (inside lists and structs too) and a categorical, its Parquet with one
 * dictionary per row group; DuckDB's Parquet with maps, UUIDs (in lists of structs too), JSON, hugeints
 * and enums; pandas' Parquet with its index; zero-row files of polars and DuckDB. pyarrow.flight must get
 * the values pyarrow reads from each file itself, UUIDs and JSON as arrow.uuid and arrow.json.
 */
class PeerWrittenFilesServingTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path served;

  @Test
  void servedValuesAreThoseTheFilesHold() throws Exception {
    PythonPeer.require("pyarrow.flight", "polars", "duckdb", "pandas");
    PythonPeer.run("""
        import sys, datetime, polars as pl, duckdb, pandas as pd, numpy as np
        d = sys.argv[1]
        def part(lo, hi):
            k = range(lo, hi)
            return pl.DataFrame({
                'i': pl.Series([None if x % 11 == 0 else x for x in k], dtype=pl.Int64),
                's': pl.Series([None if x % 5 == 0 else f'v{x}é' + 'x' * (x % 20) for x in k], dtype=pl.String),
                'strs': pl.Series([[f'a{x}', None] if x % 2 else None for x in k], dtype=pl.List(pl.String)),
                'st': pl.Series([{'a': x, 'b': f'n{x}'} if x % 4 else None for x in k], dtype=pl.Struct({'a': pl.Int16, 'b': pl.String})),
                'cat': pl.Series([['red', 'green', None, 'blue'][x % 4] if x < 700 else ['blue', 'violet', 'red', None][x % 4] for x in k], dtype=pl.Categorical),
                'ts': pl.Series([datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=x) for x in k], dtype=pl.Datetime('us', 'Europe/Paris')),
            })
        df = pl.concat([part(0, 700), part(700, 701), part(701, 1500)], rechunk=False)
        df.write_ipc(d + '/polars.feather', record_batch_size=512)
        df.write_ipc(d + '/polars_zstd.feather', compression='zstd', record_batch_size=512)
        df.write_parquet(d + '/polars.parquet', row_group_size=400, use_pyarrow=True)
        con = duckdb.connect()
        con.sql("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
        con.sql(f'''COPY (SELECT range AS id, range::HUGEINT * 1000000000000 AS huge, 'v' || range AS s,
                        [range, range + 1] AS lst, {{'x': range}} AS st, MAP {{'k': range}} AS m, gen_random_uuid() AS u,
                        ['sad', 'ok', 'happy'][(range % 3) + 1]::mood AS mood, ('{{"n": ' || range || '}}')::JSON AS j,
                        [{{'id': gen_random_uuid()}}] AS ids FROM range(10000))
                    TO '{d}/duckdb.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048)''')
        con.sql(f"COPY (SELECT * FROM read_parquet('{d}/duckdb.parquet') WHERE false) TO '{d}/zero_duckdb.parquet' (FORMAT parquet)")
        df.head(0).write_ipc(d + '/zero_polars.feather')
        pdf = pd.DataFrame({'n': pd.array([None if x % 3 == 0 else x for x in range(1200)], dtype='Int32'),
                            'c': pd.Categorical([['a', 'b', 'c'][x % 3] for x in range(1200)])},
                           index=pd.Index(np.arange(1200) * 2, name='key'))
        pdf.to_parquet(d + '/pandas.parquet', row_group_size=500)
        """, served.toString());
    try (FlightService service = FlightService.start(served, ServeOptions.DEFAULTS.withAddress("127.0.0.1", 0),
        memory.allocator())) {
      String out = PythonPeer.run("""
          import sys, os, pyarrow as pa, pyarrow.flight as fl, pyarrow.parquet as pq, pyarrow.ipc as ipc
          root, location = sys.argv[1], sys.argv[2]
          client = fl.connect(location)
          names = sorted(os.listdir(root))
          for name in names:
              path = os.path.join(root, name)
              want = pq.read_table(path) if name.endswith('.parquet') else ipc.open_file(path).read_all()
              info = client.get_flight_info(fl.FlightDescriptor.for_path(name))
              got = client.do_get(info.endpoints[0].ticket).read_all()
              assert got.column_names == want.column_names, (name, got.column_names)
              for col in want.column_names:
                  if 'extension' in str(want[col].type):  # DuckDB's UUID and JSON, also nested: their extension types
                      assert got[col].type == want[col].type, (name, col, got[col].type)
                  assert got[col].to_pylist() == want[col].to_pylist(), (name, col)
          print(len(names))
          """, served.toString(), service.location().toString());
      assertEquals("7", out.strip());
      assertEquals(0, service.allocatedBytes());
    }
  }
}
