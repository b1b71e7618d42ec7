# Writes, with pyarrow, a file of every kind the service serves that NumPy does not write: Feather
# (uncompressed, LZ4, ZSTD), IPC streams and Parquet, over every type family pyarrow writes, zero rows and
# many batches, plus a folder of partitions with one schema.
import datetime
import decimal
import os
import sys

import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq

root = sys.argv[1]
n = 1000
table = pa.table({
    "i8": pa.array([i % 100 - 50 for i in range(n)], pa.int8()),
    "u64": pa.array([i * 7919 for i in range(n)], pa.uint64()),
    "f64": pa.array([None if i % 13 == 0 else i / 3 for i in range(n)], pa.float64()),
    "f16": pa.array([float(i % 7) for i in range(n)], pa.float32()).cast(pa.float16()),
    "flag": pa.array([None if i % 11 == 0 else i % 2 == 0 for i in range(n)]),
    "s": pa.array([None if i % 17 == 0 else "v%d\u00e9" % i for i in range(n)]),
    "ls": pa.array(["large %d" % i for i in range(n)], pa.large_string()),
    "bin": pa.array([bytes([i % 256]) * (i % 5) for i in range(n)], pa.binary()),
    "fsb": pa.array([bytes([i % 256] * 3) for i in range(n)], pa.binary(3)),
    "cat": pa.array(["red", "green", "blue", None][i % 4] for i in range(n)).dictionary_encode(),
    "ts": pa.array([datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=i) for i in range(n)],
                   pa.timestamp("us", tz="Europe/Paris")),
    "d32": pa.array([datetime.date(2020, 1, 1) + datetime.timedelta(days=i) for i in range(n)], pa.date32()),
    "dur": pa.array([i * 1000 for i in range(n)], pa.duration("ms")),
    "dec": pa.array([decimal.Decimal(i) / 100 for i in range(n)], pa.decimal128(12, 2)),
    "li": pa.array([None if i % 9 == 0 else list(range(i % 4)) for i in range(n)], pa.list_(pa.int32())),
    "lli": pa.array([[i, -i] for i in range(n)], pa.large_list(pa.int64())),
    "fsl": pa.array([[float(i), float(i + 1)] for i in range(n)], pa.list_(pa.float64(), 2)),
    "st": pa.array([{"a": i, "b": str(i)} for i in range(n)], pa.struct([("a", pa.int32()), ("b", pa.string())])),
    "m": pa.array([[("k%d" % (i % 3), i)] for i in range(n)], pa.map_(pa.string(), pa.int64())),
})
table = table.replace_schema_metadata({"origin": "pyarrow peer", "pandas-like": '{"x": 1}'})
for name, compression in [("plain.feather", "uncompressed"), ("lz4.feather", "lz4"), ("zstd.feather", "zstd")]:
    feather.write_feather(table, os.path.join(root, name), compression=compression, chunksize=300)
with pa.OSFile(os.path.join(root, "stream.arrows"), "wb") as sink:
    with pa.ipc.new_stream(sink, table.schema) as writer:
        for batch in table.to_batches(max_chunksize=250):
            writer.write_batch(batch)
pq.write_table(table.drop_columns(["cat"]), os.path.join(root, "table.parquet"), row_group_size=400)
feather.write_feather(table.slice(0, 0), os.path.join(root, "zero_rows.feather"), compression="uncompressed")
union = pa.UnionArray.from_dense(pa.array([0, 1, 0, 1], pa.int8()), pa.array([0, 0, 1, 1], pa.int32()),
                                 [pa.array([1, 2]), pa.array(["a", "b"])])
feather.write_feather(pa.table({"u": union}), os.path.join(root, "union.feather"), compression="uncompressed")
parts = os.path.join(root, "parts")
os.makedirs(parts)
simple = table.select(["i8", "f64", "s", "li"])
for p in range(3):
    feather.write_feather(simple.slice(p * 300, 300), os.path.join(parts, "part-%d.feather" % p),
                          compression="uncompressed")
print("written")
