"""A folder of files read whole into one file: arrow-npz against pyarrow's datasets, on folders peers wrote.

Usage (from the repository root, after `mvn -B -DskipTests package`):

    .venv/bin/python benchmarks/peers/folder_bench.py WORKDIR [--runs 7] [--warmup 3] [--out benchmarks/results/folders]

The folders, written once under WORKDIR/folders by the peers:
- pandas_hive: 3,000,000 events (int64, float64, a categorical, strings with nulls) that pandas'
  `to_parquet(partition_cols=['day'])` splits into 30 Hive partitions, a Parquet file each;
- duckdb_1000: 200,000 rows that DuckDB's `COPY ... (PARTITION_BY k)` splits into 1,000 partitions of 200 rows;
- pyarrow_feather: 100 Feather files of 10,000 rows side by side (no partitioning), written by pyarrow.

Ours: FolderDataset of the folder written whole by the bridge's writer (`convert DIR FILE` in a warm JVM,
PeerHarness `convert-folder`); pyarrow: `pyarrow.dataset.dataset(DIR, partitioning='hive')` to a table, then
`feather.write_feather` (uncompressed) or `parquet.write_table` (snappy, as both write by default). Contenders
alternate run after run; medians. Writes OUT.md and OUT.json.
"""
import os
import shutil
import sys

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.feather as feather
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Ours, interleaved, timed, write_results  # noqa: E402

FOLDERS = ("pandas_hive", "duckdb_1000", "pyarrow_feather")


def make(root, name):
    """The folder `name` under `root`, written once; its path."""
    path = os.path.join(root, name)
    if os.path.exists(path):
        return path
    rng = np.random.default_rng(18)
    if name == "pandas_hive":
        import pandas as pd
        n = 3_000_000
        pd.DataFrame({"day": np.repeat(np.arange(30), n // 30), "user": rng.integers(0, 100_000, n),
                      "amount": rng.random(n), "kind": pd.Categorical(rng.choice(["view", "click", "buy"], n)),
                      "note": rng.choice(["a", "bb", "ccc", None], n)}).to_parquet(path, partition_cols=["day"])
    elif name == "duckdb_1000":
        import duckdb
        duckdb.sql(f"COPY (SELECT range % 1000 AS k, range AS id, random() AS x, 'v' || (range % 97) AS s "
                   f"FROM range(200000)) TO '{path}' (FORMAT parquet, PARTITION_BY (k))")
    else:
        os.makedirs(path)
        for i in range(100):
            ids = np.arange(i * 10_000, (i + 1) * 10_000)
            feather.write_feather(pa.table({"id": ids, "x": rng.random(10_000), "s": [f"s{j % 50}" for j in ids]}),
                                  os.path.join(path, f"part-{i:03d}.feather"), compression="uncompressed")
    return path


def pyarrow_whole(folder, out):
    table = ds.dataset(folder, partitioning="hive",
                       format="feather" if folder.endswith("feather") else "parquet").to_table()
    if out.endswith(".parquet"):
        pq.write_table(table, out)
    else:
        feather.write_feather(table, out, compression="uncompressed")


def main():
    import argparse
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workdir")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                 "results", "folders"))
    a = p.parse_args()
    root = os.path.join(a.workdir, "folders")
    os.makedirs(root, exist_ok=True)
    scratch = os.path.join(a.workdir, "folders-out")
    os.makedirs(scratch, exist_ok=True)
    ours = Ours()
    rows = []
    try:
        for name in FOLDERS:
            folder = make(root, name)
            files = sum(len(f) for _, _, f in os.walk(folder))
            for ext in ("feather", "parquet"):
                mine = os.path.join(scratch, f"ours.{ext}")
                theirs = os.path.join(scratch, f"pyarrow.{ext}")
                times = interleaved({
                    "ours": lambda: ours.seconds("convert-folder", folder, mine),
                    "pyarrow": lambda: timed(lambda: pyarrow_whole(folder, theirs)),
                }, a.runs, a.warmup)
                check(mine, theirs)
                row = {"folder": name, "files": files, "output": ext, "ours_ms": times["ours"] * 1000,
                       "pyarrow_ms": times["pyarrow"] * 1000}
                rows.append(row)
                print(row, file=sys.stderr)
    finally:
        ours.close()
        shutil.rmtree(scratch, ignore_errors=True)
    lines = [f"pyarrow {pa.__version__}: medians of {a.runs} interleaved runs after {a.warmup} warm-ups; ms; ratio = "
             "ours / pyarrow (under 1: ours faster). Ours in a warm JVM (no start-up: the `convert` command adds "
             "the JVM's and Arrow's native library's, about 1.3 s).", "",
             "| folder | files | output | ours | pyarrow dataset + write | ratio |", "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['folder']} | {r['files']} | {r['output']} | {r['ours_ms']:.0f} | {r['pyarrow_ms']:.0f} | "
                     f"{r['ours_ms'] / r['pyarrow_ms']:.2f} |")
    write_results(a.out, {"rows": rows}, "\n".join(lines) + "\n")


def check(mine, theirs):
    """The same rows (in any order: pyarrow's dataset reads files on several threads): the same columns, and
    in each the same nulls and the same sum (numbers) or value counts (strings, categoricals)."""
    import pyarrow.compute as pc
    read = pq.read_table if mine.endswith(".parquet") else feather.read_table
    a, b = read(mine), read(theirs)
    if a.num_rows != b.num_rows or sorted(a.column_names) != sorted(b.column_names):
        raise SystemExit(f"folder_bench: {mine} differs from {theirs} in shape")
    for c in b.column_names:
        x, y = a[c], b[c]
        if pa.types.is_dictionary(x.type):
            x = x.cast(x.type.value_type)
        if pa.types.is_dictionary(y.type):
            y = y.cast(y.type.value_type)
        same = x.null_count == y.null_count and (
            pc.sum(x.cast(pa.float64())).as_py() == pc.sum(y.cast(pa.float64())).as_py()
            if pa.types.is_integer(y.type) else
            abs(pc.sum(x).as_py() - pc.sum(y).as_py()) < 1e-6 * abs(pc.sum(y).as_py()) + 1e-9
            if pa.types.is_floating(y.type) else
            sorted(pc.value_counts(x).to_pylist(), key=str) == sorted(pc.value_counts(y).to_pylist(), key=str))
        if not same:
            raise SystemExit(f"folder_bench: {mine} differs from {theirs} in column {c}")


if __name__ == "__main__":
    main()
