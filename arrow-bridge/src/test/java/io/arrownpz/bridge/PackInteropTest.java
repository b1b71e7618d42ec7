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
         VectorSchemaRoot packed = Packer.pack(table, memory.allocator(), PackOptions.byKeys("GroupID"));
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
         VectorSchemaRoot packed = Packer.pack(table, memory.allocator(), PackOptions.byKeys("GroupID").orderBy("Timestamp").keepScalar(java.util.Set.of("UserID")))) {
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

  /**
   * Events as pandas writes them (its string dtype with missing values, nullable Int64) packed into NPZ
   * and into Parquet, and unpacked into Parquet and Feather: the files are valid (no "not null" over
   * nulls), the values are the events', and through Parquet pandas gets back the same frame, dtypes
   * included (its metadata travels across pack and unpack).
   */
  @Test
  void pandasEventsWithNullStringsRoundTripThroughPackedFiles() throws Exception {
    PythonPeer.require("pyarrow", "pandas");
    Path events = tmp.resolve("pandas_events.parquet");
    PythonPeer.run("""
        import sys, pandas as pd, pyarrow as pa, pyarrow.parquet as pq
        df = pd.DataFrame({'GroupID': [1, 1, 2, 2, 3, 3],
                           'EventName': pd.array(['a', None, 'b', None, 'c', 'd'], dtype='string'),
                           'V': [1.0, 2, 3, 4, 5, 6], 'N': pd.array([1, None, 3, 4, 5, None], dtype='Int64')})
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), sys.argv[1])
        """, events.toString());
    Converter converter = new Converter(memory.allocator());
    java.util.List<String> args = new java.util.ArrayList<>();
    for (FileFormat packedFormat : java.util.List.of(FileFormat.NPZ, FileFormat.PARQUET)) {
      Path packed = tmp.resolve("sessions." + packedFormat.formatName());
      try (VectorSchemaRoot table = converter.read(events, FileFormat.PARQUET, ConvertOptions.DEFAULTS);
           VectorSchemaRoot sessions = Packer.pack(table, memory.allocator(), PackOptions.byKeys("GroupID"))) {
        converter.write(sessions, packed, packedFormat, ConvertOptions.DEFAULTS);
      }
      for (FileFormat back : java.util.List.of(FileFormat.PARQUET, FileFormat.FEATHER)) {
        Path out = tmp.resolve("back_from_" + packedFormat.formatName() + "." + back.formatName());
        try (VectorSchemaRoot sessions = converter.read(packed, packedFormat, ConvertOptions.DEFAULTS);
             VectorSchemaRoot unpacked = io.arrownpz.pack.Unpacker.unpack(sessions, memory.allocator(), io.arrownpz.pack.UnpackOptions.DEFAULT)) {
          converter.write(unpacked, out, back, ConvertOptions.DEFAULTS);
        }
        args.add(out.toString());
      }
    }
    String out = PythonPeer.run("""
        import sys, pyarrow.parquet as pq, pyarrow.feather as feather
        events = pq.read_table(sys.argv[1])
        for path in sys.argv[2:]:
            t = pq.read_table(path) if path.endswith('.parquet') else feather.read_table(path)
            t.validate(full=True)
            for name in events.column_names:
                assert t[name].to_pylist() == events[name].to_pylist(), (path, name, t[name].to_pylist())
                assert t.schema.field(name).nullable or t[name].null_count == 0, (path, name)
            if 'from_parquet' in path:
                assert t.to_pandas().equals(events.to_pandas()), (path, t.to_pandas().dtypes, events.to_pandas().dtypes)
        print(len(sys.argv) - 2)
        """, java.util.stream.Stream.concat(java.util.stream.Stream.of(events.toString()), args.stream())
            .toArray(String[]::new));
    assertEquals("4", out.strip());
  }
}
