package io.arrownpz.bridge.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arrownpz.bridge.ConvertOptions;
import io.arrownpz.bridge.Converter;
import io.arrownpz.bridge.FileFormat;
import io.arrownpz.bridge.ipc.FeatherFiles;
import io.arrownpz.testing.AllocatorExtension;
import io.arrownpz.testing.PythonPeer;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compressed Parquet output: every codec we write is read back by pyarrow (values, schema and metadata
 * equal to the source, the codec in every column chunk as asked), by polars and by DuckDB; and the page
 * compressor takes uncompressed files that pyarrow wrote in every page layout it has (data pages v1 and
 * v2, dictionaries on and off, page indexes and checksums, nested levels).
 */
class ParquetCompressionTest {
  @RegisterExtension final AllocatorExtension memory = new AllocatorExtension();
  @TempDir Path tmp;

  /** A table with nulls, strings, nested lists, structs, a dictionary, zoned timestamps; batches of 700. */
  private static final String TABLE = """
      import sys, os, datetime, pyarrow as pa, pyarrow.feather as feather, pyarrow.parquet as pq
      def table(n=5000):
          return pa.table({
              'i': pa.array([None if k % 11 == 0 else k * 7919 for k in range(n)], pa.int64()),
              'small': pa.array([k % 5 for k in range(n)], pa.int8()),
              'f': pa.array([None if k % 7 == 0 else k * 0.25 for k in range(n)]),
              's': pa.array([None if k % 5 == 0 else f'v{k % 300}é😀' for k in range(n)]),
              'ts': pa.array([k * 1_000_003 for k in range(n)], pa.timestamp('us', tz='Europe/Paris')),
              'nested': pa.array([None if k % 17 == 0 else [[k, None], []] if k % 3 else [] for k in range(n)],
                                 pa.list_(pa.list_(pa.int32()))),
              'point': pa.array([{'x': k, 'y': None if k % 2 else str(k)} for k in range(n)]),
              'cat': pa.array(['red', 'green', None, 'blue'] * (n // 4)).dictionary_encode(),
              'flag': pa.array([None if k % 19 == 0 else k % 2 == 0 for k in range(n)]),
          }, metadata={'origin': 'test'})
      def decoded(t):
          cols = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in (x.combine_chunks() for x in t.columns)]
          return pa.table(cols, names=t.column_names)
      """;

  @Test
  void pyarrowPolarsAndDuckdbReadEveryCodecWeWrite() throws IOException {
    PythonPeer.require("pyarrow", "polars", "duckdb");
    PythonPeer.run(TABLE + """
        # More rows than one row group takes (32 Ki): small batches are put together, then cut at that.
        feather.write_feather(table(40_000), sys.argv[1], compression='uncompressed', chunksize=700)
        feather.write_feather(table().slice(0, 0), sys.argv[2], compression='uncompressed')
        """, tmp.resolve("source.feather").toString(), tmp.resolve("empty.feather").toString());
    Converter converter = new Converter(memory.allocator());
    for (ParquetCompression codec : ParquetCompression.values()) {
      ConvertOptions options = ConvertOptions.DEFAULTS.withParquet(codec);
      // Batch by batch from the file, and from a whole table.
      converter.convert(tmp.resolve("source.feather"), FileFormat.FEATHER, tmp.resolve("batches_" + codec + ".parquet"),
          FileFormat.PARQUET, options);
      try (VectorSchemaRoot table = FeatherFiles.read(tmp.resolve("source.feather"), memory.allocator())) {
        ParquetFiles.write(table, tmp.resolve("table_" + codec + ".parquet"), memory.allocator(), codec);
      }
      converter.convert(tmp.resolve("empty.feather"), FileFormat.FEATHER, tmp.resolve("empty_" + codec + ".parquet"),
          FileFormat.PARQUET, options);
    }
    String out = PythonPeer.run(TABLE + """
        import polars as pl, duckdb
        d = sys.argv[1]
        want = decoded(table(40_000))
        sizes = {}
        for codec in ('NONE', 'SNAPPY', 'ZSTD'):
            for kind in ('batches', 'table'):
                p = os.path.join(d, f'{kind}_{codec}.parquet')
                f = pq.ParquetFile(p)
                md = f.metadata
                expected = 'UNCOMPRESSED' if codec == 'NONE' else codec
                chunks = [md.row_group(g).column(c) for g in range(md.num_row_groups) for c in range(md.num_columns)]
                assert {c.compression for c in chunks} == {expected}, (p, {c.compression for c in chunks})
                at = 4  # column chunks follow one another from just after the magic bytes
                for c in chunks:
                    start = c.dictionary_page_offset if c.has_dictionary_page else c.data_page_offset
                    assert start == at, (p, start, at)
                    at += c.total_compressed_size
                got = f.read()
                assert got.schema.metadata[b'origin'] == b'test', got.schema.metadata
                got = decoded(got)
                assert got.schema == want.schema, (p, got.schema)
                assert got.equals(want), p
                assert pl.read_parquet(p)['i'].sum() == sum(x for x in want.column('i').to_pylist() if x is not None)
                row = duckdb.sql(f"select count(*), sum(small), count(s) from '{p}'").fetchone()
                assert row == (40_000, 80_000, 32_000), (p, row)
                sizes[(kind, codec)] = os.path.getsize(p)
            e = pq.read_table(os.path.join(d, f'empty_{codec}.parquet'))
            assert e.num_rows == 0 and decoded(e).schema == want.schema, e.schema
        for kind in ('batches', 'table'):
            assert sizes[(kind, 'SNAPPY')] < sizes[(kind, 'NONE')] * 0.8, sizes
            assert sizes[(kind, 'ZSTD')] < sizes[(kind, 'SNAPPY')], sizes
        print(pq.ParquetFile(os.path.join(d, 'batches_SNAPPY.parquet')).metadata.num_row_groups)
        """, tmp.toString());
    assertTrue(Integer.parseInt(out.strip()) > 1, "several row groups were compressed: " + out);
  }

  @Test
  void compressesEveryPageLayoutPyarrowWrites() throws IOException {
    PythonPeer.require("pyarrow");
    String layouts = PythonPeer.run(TABLE + """
        d = sys.argv[1]
        t = table()
        layouts = []
        for version in ('1.0', '2.0'):
            for dictionary in (True, False):
                name = f'pages_v{version[0]}_{"dict" if dictionary else "plain"}'
                pq.write_table(t, os.path.join(d, name + '.parquet'), compression='none', data_page_version=version,
                               use_dictionary=dictionary, write_page_index=True, write_page_checksum=True,
                               row_group_size=1500, data_page_size=4096)
                layouts.append(name)
        print(' '.join(layouts))
        """, tmp.toString());
    String[] names = layouts.strip().split(" ");
    for (String name : names) {
      for (ParquetCompression codec : new ParquetCompression[] {ParquetCompression.SNAPPY, ParquetCompression.ZSTD}) {
        PageCompressor.compress(tmp.resolve(name + ".parquet"), tmp.resolve(name + "_" + codec + ".parquet"), codec,
            memory.allocator());
      }
    }
    String out = PythonPeer.run(TABLE + """
        d = sys.argv[1]
        want = decoded(table())
        checked = 0
        for name in sys.argv[2:]:
            for codec in ('SNAPPY', 'ZSTD'):
                p = os.path.join(d, f'{name}_{codec}.parquet')
                f = pq.ParquetFile(p, page_checksum_verification=True)
                md = f.metadata
                assert md.num_row_groups == 4, md
                assert {md.row_group(g).column(c).compression for g in range(4) for c in range(md.num_columns)} == {codec}
                got = decoded(f.read())
                assert got.equals(want), p
                for g in range(md.num_row_groups):
                    assert decoded(f.read_row_group(g)).equals(want.slice(g * 1500, 1500)), (p, g)
                checked += 1
        print(checked)
        """, concat(tmp.toString(), names));
    assertEquals(names.length * 2, Integer.parseInt(out.strip()));
  }

  @Test
  void refusesAnInputThatIsAlreadyCompressed() throws IOException {
    PythonPeer.require("pyarrow");
    PythonPeer.run(TABLE + "pq.write_table(table(), sys.argv[1], compression='snappy')\n",
        tmp.resolve("snappy.parquet").toString());
    IOException e = assertThrows(IOException.class, () -> PageCompressor.compress(tmp.resolve("snappy.parquet"),
        tmp.resolve("again.parquet"), ParquetCompression.ZSTD, memory.allocator()));
    assertTrue(e.getMessage().startsWith(tmp.resolve("snappy.parquet") + ": a column chunk is already compressed"),
        e.getMessage());
  }

  @Test
  void compressionIsNamedAsPyarrowNamesIt() {
    assertEquals(ParquetCompression.SNAPPY, ParquetCompression.named("Snappy"));
    assertEquals(ParquetCompression.ZSTD, ParquetCompression.named("zstd"));
    assertEquals(ParquetCompression.NONE, ParquetCompression.named("uncompressed"));
    assertEquals(ParquetCompression.NONE, ParquetCompression.named("none"));
    assertEquals(null, ParquetCompression.named("lz4"));
    assertEquals(ParquetCompression.SNAPPY, ConvertOptions.DEFAULTS.parquet());
  }

  private static String[] concat(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }
}
