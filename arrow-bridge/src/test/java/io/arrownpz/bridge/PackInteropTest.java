package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.pack.PackOptions;
import io.arrownpz.pack.Packer;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.nio.file.Path;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packing against the peers: polars' {@code group_by(maintain_order=True).agg} makes the same lists as
 * our pack, and DuckDB's {@code UNNEST} of our packed Parquet gives back the original events.
 */
class PackInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  /** Shuffled events with null keys and null values; UserID is constant inside each session. */
  private static final String EVENTS = """
      import sys, numpy as np, pyarrow as pa, pyarrow.feather as feather
      rng = np.random.default_rng(7)
      n = 5000
      session = rng.integers(0, 800, n)
      group = pa.array([None if s % 97 == 0 else f'G{s:04d}' for s in session])
      table = pa.table({
          'GroupID': group,
          'EventName': pa.array(rng.choice(['Login', 'View Dashboard', 'Checkout', 'Logout'], n)),
          'Timestamp': pa.array(rng.integers(1_700_000_000, 1_700_100_000, n) * 1_000_000, pa.timestamp('us')),
          'Value': pa.array([None if k % 13 == 0 else float(v) for k, v in enumerate(rng.normal(size=n))]),
          'UserID': pa.array(np.where(session % 97 == 0, 0, session % 50).astype('int32')),
      })
      feather.write_feather(table, sys.argv[1], compression='uncompressed')
      """;

  private Path events;

  @BeforeEach
  void writeEvents() {
    PythonPeer.require("numpy", "pyarrow", "polars", "duckdb", "pandas");
    events = tmp.resolve("events.feather");
    PythonPeer.run(EVENTS, events.toString());
  }

  @Test
  void polarsGroupByAggMakesTheSameListsAsPack() throws Exception {
    Path expected = tmp.resolve("polars.feather");
    PythonPeer.run("""
        import sys, polars as pl
        df = pl.read_ipc(sys.argv[1])
        (df.group_by('GroupID', maintain_order=True).agg(pl.all()).write_ipc(
            sys.argv[2], compression='uncompressed', compat_level=pl.CompatLevel.oldest()))
        """, events.toString(), expected.toString());
    try (VectorSchemaRoot table = FeatherFiles.read(events, memory.allocator());
         VectorSchemaRoot packed = Packer.pack(table, PackOptions.byKeys("GroupID"), memory.allocator());
         VectorSchemaRoot polars = FeatherFiles.read(expected, memory.allocator())) {
      assertEquals(polars.getRowCount(), packed.getRowCount());
      for (FieldVector theirs : polars.getFieldVectors()) {
        FieldVector ours = packed.getVector(theirs.getName());
        for (int r = 0; r < polars.getRowCount(); r++) {
          assertEquals(String.valueOf(theirs.getObject(r)), String.valueOf(ours.getObject(r)),
              theirs.getName() + " group " + r);
        }
      }
    }
  }

  @Test
  void duckdbUnnestsOurPackedParquetBackToTheEvents() throws Exception {
    Path parquet = tmp.resolve("sessions.parquet");
    try (VectorSchemaRoot table = FeatherFiles.read(events, memory.allocator());
         VectorSchemaRoot packed = Packer.pack(table,
             PackOptions.byKeys("GroupID").orderBy("Timestamp").keepScalar(java.util.Set.of("UserID")),
             memory.allocator())) {
      ParquetFiles.write(packed, parquet, memory.allocator());
    }
    String out = PythonPeer.run("""
        import sys, duckdb, pandas as pd, pyarrow.feather as feather
        events = feather.read_table(sys.argv[1]).to_pandas()
        events['_group'] = events.groupby('GroupID', sort=False, dropna=False).ngroup()
        expected = events.sort_values(['_group', 'Timestamp'], kind='stable').drop(columns='_group')
        con = duckdb.connect()
        con.execute('SET threads = 1')
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                                 [sys.argv[2]]).fetchall())
        assert types['EventName'] == 'VARCHAR[]' and types['UserID'] == 'INTEGER', types
        unnested = con.execute('''
            SELECT GroupID, UNNEST(EventName) AS EventName, UNNEST("Timestamp") AS "Timestamp",
                   UNNEST("Value") AS "Value", UserID
            FROM read_parquet(?)''', [sys.argv[2]]).df()
        expected = expected[unnested.columns].reset_index(drop=True)
        unnested['Timestamp'] = unnested['Timestamp'].astype(expected['Timestamp'].dtype)
        pd.testing.assert_frame_equal(unnested, expected, check_dtype=False)
        print(len(unnested))
        """, events.toString(), parquet.toString());
    assertEquals("5000", out.strip());
  }
}
