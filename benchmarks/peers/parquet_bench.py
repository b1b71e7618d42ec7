"""Parquet write and read, arrow-npz against pyarrow, per codec, on the nine panel frames, in one run.

Usage (from the repository root, after `mvn -B -DskipTests package`):

    .venv/bin/python benchmarks/peers/parquet_bench.py WORKDIR [--runs 7] [--warmup 5] [--only tall_mixed,...]
                                                        [--out benchmarks/results/parquet]

The panel (WritePanel: tall/square/wide x uniform/mixed/columnar, 1e6 values each, an int64 index) is
written once as uncompressed Feather; both sides load each file into memory first, then write it to
Parquet with the same codec (ours: ParquetFiles.write in a warm JVM, PeerHarness; pyarrow:
pq.write_table), then all writes done, read their own file back whole (ParquetFiles.read;
pq.read_table). Contenders alternate in every run, after --warmup untimed runs each; medians.
Writes OUT.md (a Markdown table, ratios ours / pyarrow) and OUT.json.
"""
import os
import sys
import tempfile

import pyarrow.feather as feather
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Ours, arguments, interleaved, panel, timed, write_results  # noqa: E402

CODECS = ("none", "snappy", "zstd")


def main():
    a, fixtures = arguments(__doc__, "parquet", runs=7, warmup=5)
    panel_dir = panel(a.workdir)
    out_dir = tempfile.mkdtemp(dir=a.workdir)
    ours = Ours()
    rows = []
    try:
        for name in fixtures:
            source = os.path.join(panel_dir, name + ".feather")
            ours.ask("load", name, source)
            table = feather.read_table(source, memory_map=False)
            for codec in CODECS:
                mine = os.path.join(out_dir, f"{name}_{codec}_ours.parquet")
                theirs = os.path.join(out_dir, f"{name}_{codec}_pyarrow.parquet")
                writes = interleaved({
                    "ours": lambda: ours.seconds("write-parquet", name, mine, codec),
                    "pyarrow": lambda: timed(lambda: pq.write_table(table, theirs, compression=codec)),
                }, a.runs, a.warmup)
                reads = interleaved({
                    "ours": lambda: ours.seconds("read-parquet", mine),
                    "pyarrow": lambda: timed(lambda: pq.read_table(theirs)),
                }, a.runs, a.warmup)
                row = {"fixture": name, "codec": codec}
                for who in ("ours", "pyarrow"):
                    row[f"{who}_write_ms"] = writes[who] * 1000
                    row[f"{who}_read_ms"] = reads[who] * 1000
                row["ours_bytes"] = os.path.getsize(mine)
                row["pyarrow_bytes"] = os.path.getsize(theirs)
                rows.append(row)
                print(f"{name} {codec}: write {row['ours_write_ms']:.1f} / {row['pyarrow_write_ms']:.1f} ms, "
                      f"read {row['ours_read_ms']:.1f} / {row['pyarrow_read_ms']:.1f} ms", file=sys.stderr)
    finally:
        ours.close()
    write_results(a.out, {"runs": a.runs, "warmup": a.warmup, "rows": rows}, markdown(rows, a))


def markdown(rows, a):
    import pyarrow
    lines = [f"Parquet, arrow-npz against pyarrow {pyarrow.__version__}: medians of "
             f"{a.runs} interleaved runs after {a.warmup} warm-ups; ms; ratio = ours / pyarrow (under 1: ours faster).",
             "",
             "| frame | codec | write ours | write pyarrow | ratio | read ours | read pyarrow | ratio | MB ours | MB pyarrow |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append("| {} | {} | {:.1f} | {:.1f} | {:.2f} | {:.1f} | {:.1f} | {:.2f} | {:.2f} | {:.2f} |".format(
            r["fixture"], r["codec"], r["ours_write_ms"], r["pyarrow_write_ms"],
            r["ours_write_ms"] / r["pyarrow_write_ms"], r["ours_read_ms"], r["pyarrow_read_ms"],
            r["ours_read_ms"] / r["pyarrow_read_ms"], r["ours_bytes"] / 1e6, r["pyarrow_bytes"] / 1e6))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
