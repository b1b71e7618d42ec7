"""Packing events into one row per group: arrow-npz against polars and DuckDB, in one run.

Usage (from the repository root, after `mvn -B -DskipTests package`):

    .venv/bin/python benchmarks/peers/pack_bench.py WORKDIR [--rows 10000000] [--runs 3] [--warmup 1]
                                                     [--out benchmarks/results/pack]

The event log of PackBenchmark (GroupID, EventID, EventName, Timestamp, UserID, Value; 1 to 11 events
per group), made by our harness, sorted (grouped, timestamps rising) and shuffled, and written as Feather
for the peers, which read it into memory before timing. Every contender starts from the table in its
own memory and ends with the packed table in its own memory:

- ours: Packer.pack by GroupID, ordered by Timestamp inside groups or not;
- polars: `group_by("GroupID").agg(pl.all().sort_by("Timestamp"))`, or `.agg(pl.all())`;
- DuckDB (in this process, scanning the Arrow table): `list(... ORDER BY Timestamp) ... GROUP BY GroupID`,
  or `list(...)`, the result fetched as Arrow.

Contenders take turns in rotating order, after --warmup runs; medians. Writes OUT.md and OUT.json.
"""
import argparse
import json
import os
import sys

import duckdb
import polars as pl
import pyarrow.feather as feather

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Ours, interleaved, timed  # noqa: E402

COLUMNS = ["EventID", "EventName", "Timestamp", "UserID", "Value"]


def duckdb_query(ordered):
    order = ' ORDER BY "Timestamp"' if ordered else ""
    lists = ", ".join(f'list("{c}"{order}) AS "{c}"' for c in COLUMNS)
    return f"SELECT GroupID, {lists} FROM events GROUP BY GroupID"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workdir")
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "pack"))
    a = p.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    ours = Ours()
    rows = []
    connection = duckdb.connect()
    connection.execute("SET threads TO 2")
    try:
        for layout in ("sorted", "shuffled"):
            path = os.path.join(a.workdir, f"events_{layout}_{a.rows}.feather")
            ours.ask("events", layout, str(a.rows), layout, path)
            table = feather.read_table(path, memory_map=False)
            frame = pl.from_arrow(table)
            connection.register("events", table)
            for ordered in (True, False):
                aggregate = pl.all().sort_by("Timestamp") if ordered else pl.all()
                query = duckdb_query(ordered)
                medians = interleaved({
                    "ours": lambda: ours.seconds("pack", layout, "ordered" if ordered else "unordered"),
                    "polars": lambda: timed(lambda: frame.group_by("GroupID").agg(aggregate)),
                    "duckdb": lambda: timed(lambda: connection.execute(query).arrow()),
                }, a.runs, a.warmup)
                row = {"input": layout, "ordered": ordered, "rows": a.rows, **{f"{k}_s": v for k, v in medians.items()}}
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
            connection.unregister("events")
    finally:
        ours.close()
    with open(a.out + ".json", "w") as f:
        json.dump({"runs": a.runs, "warmup": a.warmup, "polars": pl.__version__, "duckdb": duckdb.__version__,
                   "rows": rows}, f, indent=1)
    text = markdown(rows, a)
    with open(a.out + ".md", "w") as f:
        f.write(text)
    print(text)


def markdown(rows, a):
    lines = [f"Packing {a.rows:,} events by GroupID; polars {pl.__version__}, DuckDB {duckdb.__version__} (2 threads); "
             f"medians of {a.runs} interleaved runs after {a.warmup} warm-ups; ms; ratio = ours / peer (under 1: "
             "ours faster).", "",
             "| input | events ordered by Timestamp | ours | polars | DuckDB | ours / polars | ours / DuckDB |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['input']} | {'yes' if r['ordered'] else 'no'} | {r['ours_s'] * 1000:.0f} | "
                     f"{r['polars_s'] * 1000:.0f} | {r['duckdb_s'] * 1000:.0f} | {r['ours_s'] / r['polars_s']:.2f} | "
                     f"{r['ours_s'] / r['duckdb_s']:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
