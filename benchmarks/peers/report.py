"""One report from the runners' results: every comparison with a peer as a ratio, beside its target.

Usage: python report.py [RESULTS_DIR]   (default benchmarks/results)

Reads what the runners wrote there (cold.json, frames.json, writes.json, parquet.json, pack.json, memory.json,
big.json, flight.json, compare.json; missing ones are skipped) and writes panel.md (a table per target: ours, the peer, the
ratio ours / peer, the target, met or not) and panel.json (the same rows, which PanelCharts draws).
Every ratio is ours / peer of a cost (time or memory): under 1, ours is cheaper.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# (section, title, target ratio): a comparison meets its target when ours / peer <= the target.
SECTIONS = {
    "cold": ("First reads: each file read once, every value touched (cold_bench), against StaticFrame's "
             "from_npz/from_npy and pyarrow's mapped Feather", 1.0),
    "open": ("1. Warm: open the same frame again and again to a VectorSchemaRoot, against pyarrow's mapped "
             "Feather", 1.0),
    "read": ("2. Warm: read the same frame again and again with every value touched, against StaticFrame's "
             "from_npz and NumPy's mapped load", None),
    "write": ("3. Write a frame and a Feather file, against StaticFrame's to_npz and pyarrow's write_feather", None),
    "codec": ("4. LZ4 and ZSTD Feather write and read, against pyarrow", 1.2),
    "parquet": ("5. Parquet write and read, same codec, against pyarrow", 1.5),
    "pack": ("6. Pack 10M events, against polars and DuckDB", 1.0),
    "memory": ("7. Peak RSS of a conversion, against pyarrow", 1.2),
    "big": ("8. One array past 2 GiB, against NumPy", 1.2),
    "flight": ("Flight DoGet and DoPut (issue 18), against a pyarrow.flight server", 1.0),
    "compare": ("What `arrow-npz compare` prints (its own JVM, default warm-up), against StaticFrame and pyarrow "
                "in Python", None),
}

# compare.json's columns as report rows: (what, our column, peer, the peer's column, target ratio).
COMPARE_ROWS = [
    ("NPZ write", "ours_npz_write_ms", "StaticFrame to_npz", "staticframe_write_ms", 1.0),
    ("Feather write", "ours_feather_write_ms", "pyarrow write_feather", "pyarrow_write_ms", 1.2),
    ("NPZ open", "ours_npz_open_ms", "pyarrow mapped read_table", "pyarrow_open_ms", 1.0),
    ("Feather open", "ours_feather_open_ms", "pyarrow mapped read_table", "pyarrow_open_ms", 1.0),
    ("NPZ read", "ours_npz_read_ms", "StaticFrame from_npz", "staticframe_read_ms", 1.0),
    ("Feather read", "ours_feather_read_ms", "pyarrow read_table", "pyarrow_read_ms", 1.2),
]


def load(directory, name):
    path = os.path.join(directory, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def comparisons(directory):
    rows = []

    def add(section, case, what, ours, peer, theirs, unit, target=None):
        target = target if target is not None else SECTIONS[section][1]
        ratio = ours / theirs
        rows.append({"section": section, "case": case, "what": what, "ours": ours, "peer": peer,
                     "theirs": theirs, "unit": unit, "ratio": ratio, "target": target, "met": ratio <= target})

    cold = load(directory, "cold")
    for r in cold["rows"] if cold else []:
        add("cold", r["fixture"], "NPZ", r["ours_npz_ms"], "StaticFrame from_npz", r["staticframe_npz_ms"], "ms")
        add("cold", r["fixture"], "NPZ", r["ours_npz_ms"], "pyarrow mapped Feather", r["pyarrow_ms"], "ms")
        add("cold", r["fixture"], "NPY directory", r["ours_npy_dir_ms"], "StaticFrame from_npy",
            r["staticframe_npy_dir_ms"], "ms")
    frames = load(directory, "frames")
    for r in frames["rows"] if frames else []:
        add("open", r["fixture"], "NPZ", r["open_ours_npz_ms"], "pyarrow", r["open_pyarrow_ms"], "ms")
        add("open", r["fixture"], "NPY directory", r["open_ours_npy_dir_ms"], "pyarrow",
            r["open_pyarrow_beside_npy_dir_ms"], "ms")
        add("read", r["fixture"], "NPZ, summed", r["read_ours_ms"], "StaticFrame", r["read_staticframe_ms"], "ms",
            target=1.0)
    writes = load(directory, "writes")
    for r in writes["frames"] if writes else []:
        add("write", r["fixture"], "NPZ", r["write_ours_npz_ms"], "StaticFrame", r["write_staticframe_ms"], "ms",
            target=1.0)
        add("write", r["fixture"], "NPZ", r["write_ours_npz_ms"], "pyarrow Feather", r["write_pyarrow_ms"], "ms",
            target=1.2)
        add("write", r["fixture"], "Feather", r["write_ours_feather_ms"], "pyarrow Feather", r["write_pyarrow_ms"],
            "ms", target=1.2)
        add("write", r["fixture"], "NPY directory", r["write_ours_npy_dir_ms"], "our NPZ", r["write_ours_npz_ms"],
            "ms", target=2.0)
        add("write", r["fixture"], "NPY directory", r["write_ours_npy_dir_ms"], "StaticFrame to_npy",
            r["write_staticframe_npy_dir_ms"], "ms", target=1.0)
    for r in writes["codecs"] if writes else []:
        add("codec", r["fixture"], f"write {r['codec']}", r["ours_write_ms"], "pyarrow", r["pyarrow_write_ms"], "ms")
        add("codec", r["fixture"], f"read {r['codec']}", r["ours_read_ms"], "pyarrow", r["pyarrow_read_ms"], "ms")
    compare = load(directory, "compare")
    for r in compare["rows"] if compare else []:
        for what, mine, peer, theirs, target in COMPARE_ROWS:
            add("compare", r["fixture"], what, r[mine], peer, r[theirs], "ms", target=target)
    big = load(directory, "big")
    for r in big["rows"] if big else []:
        section = "read" if r["operation"].startswith("read .npy") else "big"
        add(section, f"{r['gib']:.1f} GiB float64", r["operation"], r["ours_s"], "NumPy", r["numpy_s"], "s",
            target=1.2)
    parquet = load(directory, "parquet")
    for r in parquet["rows"] if parquet else []:
        add("parquet", r["fixture"], f"write {r['codec']}", r["ours_write_ms"], "pyarrow", r["pyarrow_write_ms"], "ms")
        add("parquet", r["fixture"], f"read {r['codec']}", r["ours_read_ms"], "pyarrow", r["pyarrow_read_ms"], "ms")
    pack = load(directory, "pack")
    for r in pack["rows"] if pack else []:
        case = f"{r['input']}, {'ordered' if r['ordered'] else 'unordered'}"
        add("pack", case, "pack", r["ours_s"] * 1000, "polars", r["polars_s"] * 1000, "ms")
        add("pack", case, "pack", r["ours_s"] * 1000, "DuckDB", r["duckdb_s"] * 1000, "ms")
    memory = load(directory, "memory")
    for r in memory if memory else []:
        if "pyarrow" in r:
            add("memory", os.path.splitext(r["input"])[0], r["conversion"], r["ours"]["rss_mib"], "pyarrow", r["pyarrow"]["rss_mib"], "MiB")
    flight = load(directory, "flight")
    for name, r in (flight or {}).get("fixtures", {}).items():
        if "get_s arrow-npz" in r and "get_s pyarrow" in r:
            add("flight", name, "DoGet", r["get_s arrow-npz"] * 1000, "pyarrow.flight", r["get_s pyarrow"] * 1000, "ms")
    for name, r in (flight or {}).get("fixtures", {}).items():  # uploads after every get, as the bench runs them
        if "put_s arrow-npz" in r and "put_s pyarrow" in r:
            add("flight", name, "DoPut", r["put_s arrow-npz"] * 1000, "pyarrow.flight", r["put_s pyarrow"] * 1000, "ms")
    return rows


def markdown(rows):
    lines = ["# Panel report", "",
             "Every row compares one of our operations with a peer's on the same input, measured in the same run "
             "(see each runner for how); ratio = ours / peer of a cost, under 1: ours cheaper. A target is met "
             "when the ratio is at most the target.", ""]
    for section, (title, _) in SECTIONS.items():
        mine = [r for r in rows if r["section"] == section]
        if not mine:
            continue
        met = sum(r["met"] for r in mine)
        lines += [f"## {title}", "", f"Met on {met} of {len(mine)}.", "",
                  "| case | what | ours | peer | peer's | ratio | target | met |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for r in mine:
            lines.append(f"| {r['case']} | {r['what']} | {r['ours']:.2f} {r['unit']} | {r['peer']} | "
                         f"{r['theirs']:.2f} {r['unit']} | {r['ratio']:.2f} | {r['target']:.1f} | "
                         f"{'yes' if r['met'] else 'no'} |")
        lines.append("")
    return "\n".join(lines)


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "benchmarks", "results")
    rows = comparisons(directory)
    with open(os.path.join(directory, "panel.json"), "w") as f:
        json.dump({"sections": {k: v[0] for k, v in SECTIONS.items()}, "rows": rows}, f, indent=1)
    with open(os.path.join(directory, "panel.md"), "w") as f:
        f.write(markdown(rows))
    print(f"{len(rows)} comparisons, {sum(r['met'] for r in rows)} meet their target: "
          f"{os.path.join(directory, 'panel.md')}")


if __name__ == "__main__":
    main()
