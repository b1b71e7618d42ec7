package io.arrownpz.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.bridge.ipc.IpcCompression;
import io.arrownpz.bridge.ipc.IpcStreamFiles;
import io.arrownpz.bridge.parquet.ParquetFiles;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.Fixtures;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge against the real peers: we read what pyarrow and pandas write (Feather uncompressed, LZ4,
 * ZSTD; IPC streams; Parquet snappy and zstd) with dates, zoned timestamps, strings, lists, nulls and
 * dictionaries; pyarrow reads every file we write and finds the same values; DuckDB reads our Parquet;
 * pandas restores a frame's index from our Parquet.
 */
class FormatsInteropTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  private static final String TABLE = """
      import sys, os, datetime, pyarrow as pa, pyarrow.feather as feather, pyarrow.parquet as pq, pandas as pd
      def table():
          n = 500
          return pa.table({
              'i': pa.array([None if k % 11 == 0 else k for k in range(n)], pa.int64()),
              'f': pa.array([None if k % 7 == 0 else k * 0.25 for k in range(n)]),
              's': pa.array([None if k % 5 == 0 else f'v{k}é😀' for k in range(n)]),
              'day': pa.array([None if k % 13 == 0 else datetime.date(1999, 12, 31) + datetime.timedelta(days=k) for k in range(n)]),
              'ts': pa.array([k * 1_000_003 for k in range(n)], pa.timestamp('us', tz='Europe/Paris')),
              'list': pa.array([None if k % 17 == 0 else [k, None, k + 1] if k % 3 else [] for k in range(n)], pa.list_(pa.int32())),
              'cat': pa.array(['red', 'green', None, 'blue'] * (n // 4)).dictionary_encode(),
              'flag': pa.array([None if k % 19 == 0 else k % 2 == 0 for k in range(n)]),
          })
      def decoded(t):
          cols = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in (x.combine_chunks() for x in t.columns)]
          return pa.table(cols, names=t.column_names)
      """;

  @Test
  void weReadWhatPyarrowAndPandasWrite() throws IOException {
    PythonPeer.require("pyarrow", "pandas");
    PythonPeer.run(TABLE + """
        d = sys.argv[1]
        t = table()
        for name, c in [('none', 'uncompressed'), ('lz4', 'lz4'), ('zstd', 'zstd')]:
            feather.write_feather(t, os.path.join(d, f'in_{name}.feather'), compression=c, chunksize=128)
        with pa.ipc.new_stream(os.path.join(d, 'in.arrows'), t.schema) as w:
            for b in t.to_batches(max_chunksize=200):
                w.write_batch(b)
        pq.write_table(t, os.path.join(d, 'in_snappy.parquet'), compression='snappy', row_group_size=200)
        pq.write_table(t, os.path.join(d, 'in_zstd.parquet'), compression='zstd')
        df = t.to_pandas()
        df.to_parquet(os.path.join(d, 'in_pandas.parquet'))
        df.reset_index(drop=True).to_feather(os.path.join(d, 'in_pandas.feather'))
        """, tmp.toString());
    Converter c = new Converter(memory.allocator());
    List<String> echoes = new ArrayList<>();
    echoes.add(tmp.toString());
    for (String name : List.of("in_none.feather", "in_lz4.feather", "in_zstd.feather", "in.arrows",
        "in_snappy.parquet", "in_zstd.parquet", "in_pandas.parquet", "in_pandas.feather")) {
      Path in = tmp.resolve(name);
      try (VectorSchemaRoot table = c.read(in, FileFormat.ofPath(in), ConvertOptions.DEFAULTS)) {
        assertEquals(500, table.getRowCount(), name);
        ArrowType ts = table.getSchema().findField("ts").getType();
        assertEquals("Europe/Paris", ((ArrowType.Timestamp) ts).getTimezone(), name);
        assertEquals("v1é😀", table.getVector("s").getObject(1).toString(), name);
        Path echo = tmp.resolve("echo_" + name + ".feather");
        FeatherFiles.write(table, echo);
        echoes.add(name);
      }
    }
    String out = PythonPeer.run(TABLE + """
        d = sys.argv[1]
        want = decoded(table())
        for name in sys.argv[2:]:
            got = decoded(feather.read_table(os.path.join(d, f'echo_{name}.feather')))
            for col in want.column_names:
                a, b = got.column(col).to_pylist(), want.column(col).to_pylist()
                assert a == b, (name, col, a[:5], b[:5])
        print(len(sys.argv) - 2)
        """, echoes.toArray(String[]::new));
    assertEquals(8, Integer.parseInt(out.strip()));
  }

  @Test
  void pyarrowAndDuckdbReadWhatWeWrite() throws IOException {
    PythonPeer.require("pyarrow", "pandas", "duckdb");
    PythonPeer.run(TABLE + "feather.write_feather(table(), sys.argv[1], compression='uncompressed', chunksize=128)\n",
        tmp.resolve("source.feather").toString());
    Converter c = new Converter(memory.allocator());
    try (VectorSchemaRoot table = FeatherFiles.read(tmp.resolve("source.feather"), memory.allocator())) {
      for (IpcCompression codec : IpcCompression.values()) {
        FeatherFiles.write(table, tmp.resolve("ours_" + codec + ".feather"), codec);
        IpcStreamFiles.write(table, tmp.resolve("ours_" + codec + ".arrows"), codec);
      }
      ParquetFiles.write(table, tmp.resolve("ours.parquet"), memory.allocator());
    }
    // Batch by batch too, straight from the multi-batch source.
    c.convert(tmp.resolve("source.feather"), FileFormat.FEATHER, tmp.resolve("streamed.parquet"), FileFormat.PARQUET,
        ConvertOptions.DEFAULTS);
    c.convert(tmp.resolve("source.feather"), FileFormat.FEATHER, tmp.resolve("streamed.arrows"), FileFormat.IPC_STREAM,
        ConvertOptions.DEFAULTS.withIpc(IpcCompression.ZSTD));
    c.convert(Fixtures.path("sf/hierarchy.npz"), FileFormat.NPZ, tmp.resolve("frame.parquet"), FileFormat.PARQUET,
        ConvertOptions.DEFAULTS);
    String out = PythonPeer.run(TABLE + """
        import duckdb, numpy as np
        d = sys.argv[1]
        want = decoded(table())
        files = [f'ours_{c}.feather' for c in ('NONE', 'LZ4', 'ZSTD')] + [f'ours_{c}.arrows' for c in ('NONE', 'LZ4', 'ZSTD')]
        files += ['ours.parquet', 'streamed.parquet', 'streamed.arrows']
        for name in files:
            p = os.path.join(d, name)
            if name.endswith('.feather'):
                got = feather.read_table(p)
            elif name.endswith('.arrows'):
                got = pa.ipc.open_stream(p).read_all()
            else:
                got = pq.read_table(p)
            got = decoded(got)
            for col in want.column_names:
                assert got.column(col).to_pylist() == want.column(col).to_pylist(), (name, col)
        con = duckdb.connect()
        for name in ['ours.parquet', 'streamed.parquet']:
            row = con.sql(f"select count(*), sum(i), count(s), sum(len(list)) from '{os.path.join(d, name)}'").fetchone()
            assert row == (500, sum(x for x in want.column('i').to_pylist() if x is not None),
                           sum(1 for x in want.column('s').to_pylist() if x is not None),
                           sum(len(x) for x in want.column('list').to_pylist() if x is not None)), (name, row)
        df = pd.read_parquet(os.path.join(d, 'frame.parquet'))
        assert list(df.index.names) == ['letter', 'month'] and list(df.columns)[:2] == [(1, 'x'), (1, 'y')], df
        assert df.iloc[1, 0] == np.load(sys.argv[2])['__blocks_0__'][1, 0]
        print(len(files))
        """, tmp.toString(), Fixtures.path("sf/hierarchy.npz").toString());
    assertEquals(9, Integer.parseInt(out.strip()));
  }

  /** Every pair of formats, starting from a frame: values survive, and metadata with them. */
  @Test
  void everyPairOfFormats() throws IOException {
    Converter c = new Converter(memory.allocator());
    Path source = Fixtures.path("sf/simple.npz");
    List<FileFormat> formats = List.of(FileFormat.NPZ, FileFormat.NPY_DIR, FileFormat.FEATHER, FileFormat.IPC_STREAM,
        FileFormat.PARQUET);
    try (VectorSchemaRoot original = c.read(source, FileFormat.NPZ, ConvertOptions.DEFAULTS)) {
      int n = 0;
      for (FileFormat first : formats) {
        Path a = tmp.resolve("a" + n + ext(first));
        c.convert(source, FileFormat.NPZ, a, first, ConvertOptions.DEFAULTS);
        for (FileFormat second : formats) {
          Path b = tmp.resolve("b" + n++ + ext(second));
          c.convert(a, first, b, second, ConvertOptions.DEFAULTS);
          try (VectorSchemaRoot again = c.read(b, second, ConvertOptions.DEFAULTS)) {
            assertTrue(original.equals(again), first + " -> " + second + ": same table");
            assertEquals(original.getSchema(), again.getSchema(), first + " -> " + second + ": same schema");
          }
        }
      }
    }
    // And a single array, which is a one-column table.
    Path npy = Fixtures.path("npy/f2d_i8.npy");
    c.convert(npy, FileFormat.NPY, tmp.resolve("t.parquet"), FileFormat.PARQUET, ConvertOptions.DEFAULTS);
    c.convert(tmp.resolve("t.parquet"), FileFormat.PARQUET, tmp.resolve("t.npy"), FileFormat.NPY, ConvertOptions.DEFAULTS);
    assertEquals(io.arrownpz.npy.NpyFile.readHeader(npy).dtype(), io.arrownpz.npy.NpyFile.readHeader(tmp.resolve("t.npy")).dtype());
  }

  private static String ext(FileFormat f) {
    return switch (f) {
      case NPZ -> ".npz";
      case NPY_DIR -> ".dir";
      case FEATHER -> ".feather";
      case IPC_STREAM -> ".arrows";
      case PARQUET -> ".parquet";
      default -> ".npy";
    };
  }
}
