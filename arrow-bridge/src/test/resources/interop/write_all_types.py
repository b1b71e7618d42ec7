# Writes, with pyarrow, one file per Arrow type into sys.argv[1]: NAME.feather holds a one-column table of
# that type (nulls included, in two record batches). Also: the columns together as an IPC stream of
# several batches, the same as LZ4 Feather, a 0-row Feather, and a Parquet file pyarrow writes itself.
# Prints the names, one per line.
import sys, os, decimal
import numpy as np
import pyarrow as pa, pyarrow.feather as feather, pyarrow.ipc as ipc, pyarrow.parquet as pq

out = sys.argv[1]
D = decimal.Decimal

def a(t, vals):
    return pa.array(vals, t)

cols = {
    'i8': a(pa.int8(), [1, -2, None, 4, -128, 127]),
    'i16': a(pa.int16(), [1, -2, None, 4, -32768, 32767]),
    'u32': a(pa.uint32(), [1, 2, None, 4, 0, 2**32 - 1]),
    'u64': a(pa.uint64(), [1, 2**64 - 1, None, 4, 0, 7]),
    'f16': pa.array(np.array([1.5, 0, 2.0, -0.5, 3.0, 65504], dtype=np.float16), mask=np.array([0, 1, 0, 0, 0, 0], bool)),
    'f32': a(pa.float32(), [1.5, None, 2, 3, float('inf'), -0.0]),
    'f64': a(pa.float64(), [1.5, None, -0.0, 1e300, -1e-300, 2.5]),
    'bool': a(pa.bool_(), [True, None, False, True, False, True]),
    'str': a(pa.string(), ['a', None, 'βγ', '', 'x' * 20, '😀']),
    'str_nonull': a(pa.string(), ['a', 'b', 'βγ', '', 'x' * 20, '😀']),
    'lstr': a(pa.large_string(), ['a', None, 'βγ', '', 'x', 'y']),
    'bin': a(pa.binary(), [b'a', None, b'\x00\xff', b'', b'z', b'q']),
    'lbin': a(pa.large_binary(), [b'a', None, b'\x00\xff', b'', b'z', b'q']),
    'fsb': a(pa.binary(3), [b'abc', None, b'\x00\x01\x02', b'xyz', b'qqq', b'rrr']),
    'sview': a(pa.string_view(), ['a', None, 'a much longer string than twelve', '', 'x', 'twelve chars']),
    'bview': a(pa.binary_view(), [b'a', None, b'a much longer binary than twelve', b'', b'x', b'y']),
    'd32': a(pa.date32(), [0, None, -719162, 2932896, 19000, 1]),
    'd64': a(pa.date64(), [0, None, 86400000, -86400000, 1699920000000, 0]),
    't32s': a(pa.time32('s'), [0, None, 86399, 3600, 1, 2]),
    't32ms': a(pa.time32('ms'), [0, None, 86399999, 3600, 1, 2]),
    't64us': a(pa.time64('us'), [0, None, 86399999999, 3600, 1, 2]),
    't64ns': a(pa.time64('ns'), [0, None, 86399999999999, 3600, 1, 2]),
    'ts_s': a(pa.timestamp('s'), [0, None, -1, 2**40, 5, 6]),
    'ts_ms_tz': a(pa.timestamp('ms', 'Europe/Berlin'), [0, None, -1, 2**40, 5, 6]),
    'ts_us_utc': a(pa.timestamp('us', 'UTC'), [0, None, -1, 2**40, 5, 6]),
    'ts_ns': a(pa.timestamp('ns'), [0, None, -1, 2**60, 5, 6]),
    'ts_ns_nonull': a(pa.timestamp('ns'), [0, 1, -1, 2**60, 5, 6]),
    'dur_s': a(pa.duration('s'), [0, None, -1, 2**40, 5, 6]),
    'dur_ns': a(pa.duration('ns'), [0, None, -1, 2**60, 5, 6]),
    'ym': a(pa.month_day_nano_interval(), [(1, 2, 3), None, (-1, -2, -3), (0, 0, 0), (12, 31, 10**12), (1, 1, 1)]),
    'dec': a(pa.decimal128(5, 2), [D('128.10'), None, D('-1.00'), D('0.01'), D('999.99'), D('-999.99')]),
    'dec38': a(pa.decimal128(38, 0), [10**37, None, -10**37, 0, 1, -1]),
    'dec256': a(pa.decimal256(50, 3), [D('1' * 47 + '.123'), None, D('-1.5'), 0, 1, -1]),
    'dec32': a(pa.decimal32(7, 2), [D('12.34'), None, D('-1.00'), 0, 1, 2]),
    'dec64': a(pa.decimal64(15, 2), [D('12.34'), None, D('-1.00'), 0, 1, 2]),
    'list_i32': a(pa.list_(pa.int32()), [[1, 2], None, [], [None, 3], [4], [5, 6, 7]]),
    'llist_str': a(pa.large_list(pa.string()), [['a'], None, [], [None, 'b'], ['c', 'd'], ['e']]),
    'fsl_f32': a(pa.list_(pa.float32(), 2), [[1, 2], [8, 9], [3, 4], [5, None], [6, 7], [0, 0]]),
    'struct': a(pa.struct([('a', pa.int16()), ('b', pa.string())]),
                [{'a': 1, 'b': 'x'}, None, {'a': None, 'b': 'y'}, {'a': 3, 'b': None}, {'a': 4, 'b': 'z'}, {'a': 5, 'b': 'w'}]),
    'map': a(pa.map_(pa.string(), pa.int64()), [[('a', 1), ('b', 2)], None, [], [('c', None)], [('d', 4)], [('e', 5)]]),
    'map_nested': a(pa.map_(pa.string(), pa.list_(pa.int64())), [[('a', [1])], None, [], [('c', None)], [('d', [4, 5])], [('e', [])]]),
    'list_struct': a(pa.list_(pa.struct([('x', pa.float64()), ('t', pa.timestamp('us', 'UTC'))])),
                     [[{'x': 1.0, 't': 1}], None, [], [{'x': None, 't': None}], [{'x': 2.0, 't': 2}, {'x': 3.0, 't': 3}], []]),
    'struct_list': a(pa.struct([('l', pa.list_(pa.decimal128(10, 3)))]),
                     [{'l': [D('1.5')]}, None, {'l': None}, {'l': []}, {'l': [D('2'), D('-3.25')]}, {'l': [None]}]),
    'list_dict': pa.array([['a', 'b'], None, [], ['a'], ['c'], ['b', 'b']], pa.list_(pa.dictionary(pa.int32(), pa.string()))),
    'dict_str': pa.array(['a', 'b', None, 'a', 'c', 'b']).dictionary_encode(),
    'dict_i64': pa.array([10, 20, None, 10, 30, 20], pa.int64()).dictionary_encode(),
    'null': pa.nulls(6),
    'sunion': pa.UnionArray.from_sparse(pa.array([0, 1, 2, 0, 1, 2], pa.int8()),
                                        [pa.array([1, 2, 3, 4, 5, 6]), pa.array(['a', 'b', 'c', 'd', 'e', 'f']), pa.array([1.0, 2, 3, 4, 5, 6])]),
    'dunion': pa.UnionArray.from_dense(pa.array([0, 1, 2, 0, 1, 2], pa.int8()), pa.array([0, 0, 0, 1, 1, 1], pa.int32()),
                                       [pa.array([1, 2]), pa.array(['a', 'b']), pa.array([1.0, 2.0])]),
    'ree': pa.RunEndEncodedArray.from_arrays(pa.array([2, 4, 6], pa.int32()), pa.array([1.0, None, 3.0])),
    'list_view': pa.array([[1, 2], None, [], [3], [4, 5], [6]], pa.list_view(pa.int32())),
    'tensor': pa.FixedShapeTensorArray.from_numpy_ndarray(np.arange(24, dtype='<i4').reshape(6, 2, 2)),
}
names = []
# Declared not null: the flag must survive several batches (NPZ appends them).
notnull = pa.schema([pa.field('str_notnull', pa.string(), nullable=False), pa.field('i64_notnull', pa.int64(), nullable=False)])
feather.write_feather(pa.table({'str_notnull': pa.array(['ab', 'cd', 'ef', 'gh', 'ij', 'kl']),
                                'i64_notnull': pa.array(range(6), pa.int64())}, schema=notnull),
                      os.path.join(out, 'notnull.feather'), compression='uncompressed', chunksize=2)
feather.write_feather(pa.table({'fsb_notnull': pa.array([b'ab', b'cd', b'ef', b'gh', b'ij', b'kl'], pa.binary(2))},
                               schema=pa.schema([pa.field('fsb_notnull', pa.binary(2), nullable=False)])),
                      os.path.join(out, 'fsb_notnull.feather'), compression='uncompressed', chunksize=2)
names += ['notnull.feather', 'fsb_notnull.feather']
for name, arr in cols.items():
    t = pa.table({name: arr})
    feather.write_feather(t, os.path.join(out, name + '.feather'), compression='uncompressed', chunksize=4)
    names.append(name + '.feather')

# Everything Arrow Java can hold, together: a stream of three batches, LZ4 Feather, and no rows at all.
together = pa.table({k: v for k, v in cols.items() if k not in ('dec32', 'dec64')})
with ipc.new_stream(os.path.join(out, 'all.arrows'), together.schema) as w:
    for b in together.to_batches(max_chunksize=2):
        w.write_batch(b)
feather.write_feather(together, os.path.join(out, 'all_lz4.feather'), compression='lz4', chunksize=4)
with ipc.new_stream(os.path.join(out, 'all_zstd.arrows'), together.schema,
                    options=ipc.IpcWriteOptions(compression='zstd')) as w:
    for b in together.to_batches(max_chunksize=3):
        w.write_batch(b)
feather.write_feather(together.slice(0, 0), os.path.join(out, 'empty.feather'), compression='uncompressed')
names += ['all.arrows', 'all_lz4.feather', 'all_zstd.arrows', 'empty.feather']

# Parquet as pyarrow writes it (snappy), of the columns pyarrow itself can write to Parquet.
parquetable = {}
for k, v in cols.items():
    try:
        pq.write_table(pa.table({k: v}), pa.BufferOutputStream())
        parquetable[k] = v
    except Exception:
        pass
pq.write_table(pa.table(parquetable), os.path.join(out, 'pyarrow.parquet'), row_group_size=4)
# No rows, of every type Parquet holds (a Parquet file of no rows has no row group).
feather.write_feather(pa.table(parquetable).slice(0, 0), os.path.join(out, 'empty_parquetable.feather'),
                      compression='uncompressed')
names += ['pyarrow.parquet', 'empty_parquetable.feather']
print('\n'.join(names))
