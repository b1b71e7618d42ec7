# A pyarrow.flight client against our service: lists every dataset, gets each (every endpoint), and
# compares the values with what the peers read from the file itself (pyarrow for Arrow formats, NumPy for
# NPY/NPZ, StaticFrame for frames). Prints one line per dataset and a summary.
import json
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.flight as fl
import pyarrow.parquet as pq

root, uri = sys.argv[1], sys.argv[2]
client = fl.connect(uri)
listed = {}
for info in client.list_flights():
    listed["/".join(p.decode() if isinstance(p, bytes) else p for p in info.descriptor.path)] = info


def fetch(name):
    info = client.get_flight_info(fl.FlightDescriptor.for_path(name))
    tables = [client.do_get(ep.ticket).read_all() for ep in info.endpoints]
    assert all(t.schema.equals(tables[0].schema) for t in tables)
    return info, pa.concat_tables(tables)


def same_column(got, want, label):
    want = np.asarray(want)
    if want.dtype.kind in "iufb":
        values = got.to_numpy(zero_copy_only=False)
        assert np.array_equal(values.astype(want.dtype), want, equal_nan=want.dtype.kind in "fc"), label
        return True
    if want.dtype.kind == "U":
        assert got.to_pylist() == want.tolist(), label
        return True
    assert len(got) == len(want), label
    return False


def same_table(got, want, name):
    for field in want.schema:
        a, b = got.column(field.name), want.column(field.name)
        assert a.type == b.type, "%s: column %s is %s, the file has %s" % (name, field.name, a.type, b.type)
        assert a.equals(b), "%s: column %s differs: %s vs %s" % (name, field.name, a.slice(0, 3), b.slice(0, 3))
    # Key order is not meaning (Arrow Java keeps metadata in a map); keys and values are.
    assert dict(got.schema.metadata or {}) == dict(want.schema.metadata or {}), "%s: metadata differs: %s vs %s" % (
        name, got.schema.metadata, want.schema.metadata)
    assert got.num_rows == want.num_rows, name


def check(name):
    path = os.path.join(root, name)
    info, table = fetch(name)
    assert info.total_records == table.num_rows, (name, info.total_records, table.num_rows)
    assert table.schema.equals(info.schema, check_metadata=True), (name, table.schema, info.schema)
    assert info.total_bytes > 0, name
    exact = True
    if name.endswith(".feather"):
        same_table(table, feather.read_table(path), name)
    elif name.endswith(".arrows"):
        same_table(table, pa.ipc.open_stream(path).read_all(), name)
    elif name.endswith(".parquet"):
        same_table(table, pq.read_table(path), name)
    elif os.path.isdir(path) and not os.path.exists(os.path.join(path, "__meta__.json")):
        files = sorted(f for f in os.listdir(path) if not f.startswith("."))
        same_table(table, pa.concat_tables([feather.read_table(os.path.join(path, f)) for f in files]), name)
    elif name.endswith(".npy"):
        arr = np.load(path)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        if arr.ndim >= 2:
            got = table.column(0).combine_chunks()
            if isinstance(got.type, pa.FixedShapeTensorType):
                # to_numpy_ndarray takes numeric tensors only; the storage's values hold any type
                values = np.array(got.storage.flatten().to_pylist(), dtype=object).reshape(arr.shape)
                expected = arr.astype(object)
                if arr.dtype.kind == "f":
                    assert np.array_equal(np.asarray(values, float), arr, equal_nan=True), name
                else:
                    assert (values == expected).all(), name
            else:
                assert len(got) == len(arr), name
                exact = False
        else:
            exact = same_column(table.column(0), arr, name)
    elif name.endswith(".npz") and name.startswith("npz/") and "packed" not in name:
        with np.load(path) as members:
            for key in members.files:
                exact = same_column(table.column(key), members[key], name + ":" + key) and exact
    elif name.startswith("sf/") or name.startswith("sfdir/"):
        import static_frame as sf
        frame = sf.Frame.from_npz(path) if name.endswith(".npz") else sf.Frame.from_npy(path)
        assert table.num_rows == frame.shape[0], name
        first = table.num_columns - frame.shape[1]
        for j in range(frame.shape[1]):
            exact = same_column(table.column(first + j), frame.iloc[:, j].values, "%s col %d" % (name, j)) and exact
    else:
        exact = False
    results[name] = {"rows": table.num_rows, "values": "equal" if exact else "rows"}


results = {}
failures = {}
for name in sorted(listed):
    try:
        check(name)
    except Exception as e:  # every dataset is checked; all failures are reported together
        failures[name] = "%s: %s" % (type(e).__name__, e)
print(json.dumps(results))
if failures:
    sys.exit("failures:\n" + "\n".join("%s: %s" % kv for kv in sorted(failures.items())))
