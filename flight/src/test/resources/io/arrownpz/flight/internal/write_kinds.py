# Writes kinds.feather into sys.argv[1] with pyarrow: 120 rows in batches of 40, a column of every kind
# (fixed width, strings, views, decimals, structs, lists of every layout, maps, unions, nulls, run-end
# encoded, an extension type), some without nulls, some with nulls in the first batch only, some with
# nulls only in their children.
import sys, uuid, pyarrow as pa, pyarrow.feather as feather
n = 120
def nulls_in_first_batch(values):  # nulls in rows 0-39 only: the later batches have none
    return [None if i < 40 and i % 7 == 3 else v for i, v in enumerate(values)]
r = range(n)
cols = {
    'i64': pa.array(list(r), pa.int64()),
    'f64_some': pa.array(nulls_in_first_batch([i / 4 for i in r]), pa.float64()),
    'bool': pa.array([i % 3 == 0 for i in r]),
    'bool_some': pa.array(nulls_in_first_batch([i % 3 == 0 for i in r])),
    's': pa.array(['v%d' % i for i in r]),
    's_some': pa.array(nulls_in_first_batch(['v%d' % i for i in r])),
    'sview': pa.array(['a much longer string %d' % i if i % 2 else 'x' for i in r], pa.string_view()),
    'fsb': pa.array([bytes([i % 256] * 3) for i in r], pa.binary(3)),
    'dec': pa.array(nulls_in_first_batch([i for i in r]), pa.decimal128(10, 2)),
    'ts': pa.array(list(r), pa.timestamp('us', 'UTC')),
    'st': pa.array([{'a': i, 'b': None if i % 5 == 0 else 's%d' % i} for i in r],
                   pa.struct([('a', pa.int32()), ('b', pa.string())])),
    'st_some': pa.array(nulls_in_first_batch([{'a': i} for i in r]), pa.struct([('a', pa.int16())])),
    'li': pa.array([list(range(i % 4)) for i in r], pa.list_(pa.int32())),
    'li_some': pa.array([None if i % 9 == 0 else [None if i % 2 else i] for i in r], pa.list_(pa.int64())),
    'lli': pa.array([[[i], []] for i in r], pa.large_list(pa.list_(pa.int8()))),
    'lv': pa.array([[i, i + 1] for i in r], pa.list_view(pa.int16())),
    'fsl': pa.array([[i, None if i == 50 else i] for i in r], pa.list_(pa.float32(), 2)),
    'm': pa.array([[('k%d' % i, i)] for i in r], pa.map_(pa.string(), pa.int64())),
    'dense': pa.UnionArray.from_dense(pa.array([i % 2 for i in r], pa.int8()),
                                      pa.array([i // 2 for i in r], pa.int32()),
                                      [pa.array(range(60), pa.int64()), pa.array(['u%d' % i for i in range(60)])]),
    'sparse': pa.UnionArray.from_sparse(pa.array([i % 2 for i in r], pa.int8()),
                                        [pa.array(list(r), pa.int64()), pa.array(['w%d' % i for i in r])]),
    'nul': pa.nulls(n),
    'ree': pa.RunEndEncodedArray.from_arrays(pa.array([30, 90, 120], pa.int32()), pa.array([1.5, None, 2.5])),
    'uuid': pa.ExtensionArray.from_storage(pa.uuid(), pa.array([uuid.UUID(int=i).bytes for i in r], pa.binary(16))),
}
table = pa.table(cols)
feather.write_feather(table, sys.argv[1] + "/kinds.feather", compression="uncompressed", chunksize=40)
# The same rows in batches of 8, for Arrow C++'s choice of bitmaps in batches of 8 rows.
feather.write_feather(table, sys.argv[1] + "/kinds8.feather", compression="uncompressed", chunksize=8)

