# Writes, with polars, DuckDB and pandas, the files those tools make of one table of mixed types, each of
# several record batches or row groups, into sys.argv[1]. Prints the names, one per line.
import sys, os, datetime, decimal
import polars as pl, duckdb, pandas as pd, numpy as np

out = sys.argv[1]
names = []

def part(lo, hi):
    n = hi - lo
    k = range(lo, hi)
    return pl.DataFrame({
        'i': pl.Series([None if x % 11 == 0 else x for x in k], dtype=pl.Int64),
        'u8': pl.Series([x % 256 for x in k], dtype=pl.UInt8),
        'f': pl.Series([None if x % 7 == 0 else x * 0.25 for x in k], dtype=pl.Float64),
        'f32': pl.Series([x / 3 for x in k], dtype=pl.Float32),
        's': pl.Series([None if x % 5 == 0 else f'v{x}é😀' + 'x' * (x % 20) for x in k], dtype=pl.String),
        'b': pl.Series([None if x % 13 == 0 else bytes([x % 256, 0]) for x in k], dtype=pl.Binary),
        'flag': pl.Series([None if x % 19 == 0 else x % 2 == 0 for x in k], dtype=pl.Boolean),
        'day': pl.Series([datetime.date(1999, 12, 31) + datetime.timedelta(days=x) for x in k], dtype=pl.Date),
        'ts': pl.Series([datetime.datetime(2020, 1, 1) + datetime.timedelta(microseconds=x * 1_000_003) for x in k],
                        dtype=pl.Datetime('us', 'Europe/Paris')),
        'ts_ns': pl.Series([None if x % 9 == 0 else datetime.datetime(2021, 5, 1) + datetime.timedelta(seconds=x) for x in k],
                           dtype=pl.Datetime('ns')),
        'dur': pl.Series([datetime.timedelta(milliseconds=x) for x in k], dtype=pl.Duration('ms')),
        'tod': pl.Series([datetime.time(x % 24, x % 60) for x in k], dtype=pl.Time),
        'list': pl.Series([None if x % 17 == 0 else [x, None, x + 1] if x % 3 else [] for x in k], dtype=pl.List(pl.Int32)),
        'strs': pl.Series([[f'a{x}', None] if x % 2 else None for x in k], dtype=pl.List(pl.String)),
        'st': pl.Series([{'a': x, 'b': f'n{x}'} if x % 4 else None for x in k],
                        dtype=pl.Struct({'a': pl.Int16, 'b': pl.String})),
        'cat': pl.Series([['red', 'green', None, 'blue'][x % 4] for x in k], dtype=pl.Categorical),
        'dec': pl.Series([decimal.Decimal(x) / 100 for x in k], dtype=pl.Decimal(10, 2)),
        'arr': pl.Series([[x, x + 1, x + 2] for x in k], dtype=pl.Array(pl.Float64, 3)),
    })

# Three chunks: polars writes one record batch (or row group) per chunk.
df = pl.concat([part(0, 700), part(700, 701), part(701, 1500)], rechunk=False)
assert df.n_chunks() == 3, df.n_chunks()
for comp in ('uncompressed', 'lz4', 'zstd'):
    df.write_ipc(os.path.join(out, f'polars_{comp}.feather'), compression=comp, record_batch_size=512)
    names.append(f'polars_{comp}.feather')
df.write_ipc(os.path.join(out, 'polars_compat.feather'), compat_level=pl.CompatLevel.oldest(), record_batch_size=512)
names.append('polars_compat.feather')
df.write_ipc_stream(os.path.join(out, 'polars.arrows'))
names.append('polars.arrows')
df.write_parquet(os.path.join(out, 'polars.parquet'), row_group_size=400)
names.append('polars.parquet')
df.write_parquet(os.path.join(out, 'polars_pyarrow.parquet'), row_group_size=400, use_pyarrow=True)
names.append('polars_pyarrow.parquet')

# DuckDB's own Parquet writer, with its types: hugeint, uuid, timestamptz, interval, maps, enums, nested.
con = duckdb.connect()
con.sql("SET TimeZone = 'UTC'")
con.sql("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')")
con.sql("""
    CREATE TABLE t AS SELECT
        range AS id,
        CASE WHEN range % 11 = 0 THEN NULL ELSE range * 3 END::INTEGER AS i32,
        (range * 1.5)::DOUBLE AS d,
        (range::HUGEINT * 1000000000000) AS huge,
        ('v' || range || repeat('é', (range % 5)::INTEGER)) AS s,
        CASE WHEN range % 7 = 0 THEN NULL ELSE DATE '2000-01-01' + range::INTEGER END AS day,
        TIMESTAMPTZ '2020-01-01 00:00:00+00' + to_microseconds(range * 1000003) AS tstz,
        TIMESTAMP '2020-01-01' + to_seconds(range) AS ts,
        (range / 7.0)::DECIMAL(18, 4) AS dec,
        [range, range + 1] AS lst,
        {'x': range, 'y': 'y' || range} AS st,
        MAP {'k': range} AS m,
        gen_random_uuid() AS id_uuid,
        ['sad', 'ok', 'happy'][(range % 3) + 1]::mood AS mood,
        (range % 2 = 0) AS even,
        '\\x00\\xff'::BLOB AS blob
    FROM range(10000)
""")
con.sql(f"COPY t TO '{os.path.join(out, 'duckdb.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)")
names.append('duckdb.parquet')
con.sql(f"COPY t TO '{os.path.join(out, 'duckdb_zstd.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 4096, COMPRESSION zstd)")
names.append('duckdb_zstd.parquet')
# DuckDB's Arrow export, written by pyarrow in the batches DuckDB hands out.
import pyarrow as pa, pyarrow.feather as feather
reader = con.sql("SELECT * FROM t").to_arrow_reader(1000)
feather.write_feather(reader.read_all(), os.path.join(out, 'duckdb_arrow.feather'), compression='uncompressed', chunksize=1000)
names.append('duckdb_arrow.feather')

# pandas, with its index and nullable extension dtypes, in row groups and Feather chunks.
pdf = pd.DataFrame({
    'n': pd.array([None if x % 3 == 0 else x for x in range(1200)], dtype='Int32'),
    'f': np.arange(1200) / 8.0,
    's': pd.array([None if x % 4 == 0 else f's{x}' for x in range(1200)], dtype='string'),
    'c': pd.Categorical([['a', 'b', 'c'][x % 3] for x in range(1200)]),
    't': pd.date_range('2001-01-01', periods=1200, freq='h', tz='Asia/Tokyo'),
}, index=pd.Index(np.arange(1200) * 2, name='key'))
pdf.to_parquet(os.path.join(out, 'pandas.parquet'), row_group_size=500)
names.append('pandas.parquet')
pdf.reset_index().to_feather(os.path.join(out, 'pandas.feather'), chunksize=500)
names.append('pandas.feather')
# Only the types NumPy holds, in polars' own layout: its strings and binaries are views (inline when short,
# in data buffers when long), also inside lists; NPZ and NPY directories must take them. No nulls, which
# an NPY directory (a frame) cannot hold; the list file has them, in a string column beside the lists.
npdf = pl.DataFrame({
    'i': pl.Series(range(900), dtype=pl.Int64),
    'f': pl.Series([x * 0.5 for x in range(900)], dtype=pl.Float32),
    'flag': pl.Series([x % 3 == 0 for x in range(900)], dtype=pl.Boolean),
    's': pl.Series([f'n{x}' + 'é😀' * (x % 9) for x in range(900)], dtype=pl.String),
    'b': pl.Series([bytes([x % 256]) * (x % 17) + b'.' for x in range(900)], dtype=pl.Binary),
    'day': pl.Series([datetime.date(2001, 1, 1) + datetime.timedelta(days=x) for x in range(900)], dtype=pl.Date),
    'ts': pl.Series([datetime.datetime(2010, 1, 1) + datetime.timedelta(seconds=x * 77) for x in range(900)],
                    dtype=pl.Datetime('ns')),
    'dur': pl.Series([datetime.timedelta(microseconds=x) for x in range(900)], dtype=pl.Duration('us')),
})
npdf = pl.concat([npdf.slice(0, 400), npdf.slice(400, 500)], rechunk=False)
npdf.write_ipc(os.path.join(out, 'polars_numpy.feather'), compression='uncompressed', record_batch_size=256)
names.append('polars_numpy.feather')
pl.DataFrame({
    'id': pl.Series(range(300), dtype=pl.Int64),
    'note': pl.Series([None if x % 4 == 0 else 'note ' * (x % 5) for x in range(300)], dtype=pl.String),
    'words': pl.Series([[f'w{x}', 'long enough to leave the view ' * (x % 2)] for x in range(300)], dtype=pl.List(pl.String)),
}).write_ipc(os.path.join(out, 'polars_lists.feather'), compression='zstd')
names.append('polars_lists.feather')

# Zero rows, as each tool writes them: every schema above with no batch, or an empty one.
zero = df.head(0)
zero.write_ipc(os.path.join(out, 'zero_polars.feather'), compression='zstd')
zero.write_ipc_stream(os.path.join(out, 'zero_polars.arrows'))
zero.write_parquet(os.path.join(out, 'zero_polars.parquet'))
npdf.head(0).write_ipc(os.path.join(out, 'zero_polars_numpy.feather'))
con.sql(f"COPY (SELECT * FROM t WHERE false) TO '{os.path.join(out, 'zero_duckdb.parquet')}' (FORMAT parquet)")
feather.write_feather(con.sql("SELECT * FROM t WHERE false").to_arrow_table(), os.path.join(out, 'zero_duckdb_arrow.feather'),
                      compression='uncompressed')
pdf.head(0).to_parquet(os.path.join(out, 'zero_pandas.parquet'))
pdf.head(0).reset_index().to_feather(os.path.join(out, 'zero_pandas.feather'))
names += ['zero_polars.feather', 'zero_polars.arrows', 'zero_polars.parquet', 'zero_polars_numpy.feather',
          'zero_duckdb.parquet', 'zero_duckdb_arrow.feather', 'zero_pandas.parquet', 'zero_pandas.feather']
print('\n'.join(names))
