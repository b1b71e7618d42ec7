"""What `arrow-npz compare` prints, against pyarrow and StaticFrame doing the same in Python (issue 16).

Usage (from the repository root, after `mvn -B -DskipTests package`):

    .venv/bin/python benchmarks/peers/compare_bench.py WORKDIR [--runs 7] [--warmup 3] [--rounds 3]
                                                        [--only tall_mixed,...] [--out benchmarks/results/compare]

For each panel frame as StaticFrame wrote it (Frame.to_npz), the command a user runs,
`arrow-npz compare FILE --formats npz,feather --runs R --json`, in a JVM of its own: it reads the frame,
warms up as compare does by default (untimed passes until the times settle), then per run writes each
format, opens it and reads every value (formats in rotating order). In the same round, Python does the
same with the peers, R timed runs after W warm-ups: StaticFrame writes the frame (to_npz) and reads it
back (from_npz), pyarrow writes the same table as uncompressed Feather (write_feather), opens it mapped
(read_table(memory_map=True)) and reads it whole (read_table(memory_map=False)). Rounds alternate which side goes first; each figure is the median
of its rounds' medians. Writes OUT.md and OUT.json.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

import pyarrow.feather as feather

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, arguments, panel, staticframe_files, timed, write_results  # noqa: E402

# The launcher, as a user runs the command: it gives compare its JVM settings (a fixed, pre-touched heap).
CLI = [os.path.join(ROOT, "arrow-npz")]


def ours(npz, runs):
    """({format: {write_ms, open_ms, read_ms}}, warm-up passes made) as `arrow-npz compare --json` prints them."""
    out = subprocess.run(CLI + ["compare", npz, "--formats", "npz,feather", "--runs", str(runs), "--json", "--quiet"],
                         check=True, capture_output=True, text=True)
    document = json.loads(out.stdout)
    formats = document["inputs"][0]["formats"]
    failed = [f for f in formats if "error" in f]
    if failed:
        raise SystemExit(f"compare_bench: arrow-npz compare failed on {npz}: {failed}")
    return ({f["format"]: {k: f[k] for k in ("write_ms", "open_ms", "read_ms")} for f in formats},
            document["inputs"][0]["warmups"])


def peers(frame, table, scratch, runs, warmup):
    """The peers' medians in ms: StaticFrame write/read, pyarrow write/open/read."""
    import static_frame as sf
    npz = os.path.join(scratch, "peer.npz")
    fea = os.path.join(scratch, "peer.feather")
    operations = {
        "staticframe_write_ms": lambda: frame.to_npz(npz),
        "staticframe_read_ms": lambda: sf.Frame.from_npz(npz),
        "pyarrow_write_ms": lambda: feather.write_feather(table, fea, compression="uncompressed"),
        "pyarrow_open_ms": lambda: feather.read_table(fea, memory_map=True),
        "pyarrow_read_ms": lambda: feather.read_table(fea, memory_map=False),
    }
    times = {k: [] for k in operations}
    for run in range(warmup + runs):
        for k, op in operations.items():  # writes before the reads of what they wrote
            t = timed(op)
            if run >= warmup:
                times[k].append(t * 1000)
    return {k: statistics.median(v) for k, v in times.items()}


def main():
    a, fixtures = arguments(__doc__, "compare", runs=7, warmup=3,  # --warmup: the peers' warm-ups
                            extra=lambda p: p.add_argument("--rounds", type=int, default=3))
    import static_frame as sf
    if not os.path.exists(CLI[-1]):
        raise SystemExit(f"compare_bench: {CLI[-1]} is missing; run `mvn -B -DskipTests package` first")
    panel_dir = panel(a.workdir)
    scratch = tempfile.mkdtemp(prefix="compare-bench-")
    rows = []
    try:
        for name in fixtures:
            npz, _ = staticframe_files(a.workdir, panel_dir, name)
            frame = sf.Frame.from_npz(npz)
            table = feather.read_table(os.path.join(panel_dir, name + ".feather"))
            rounds = []
            for r in range(a.rounds):
                if r % 2 == 0:
                    mine, passes = ours(npz, a.runs)
                    theirs = peers(frame, table, scratch, a.runs, a.warmup)
                else:
                    theirs = peers(frame, table, scratch, a.runs, a.warmup)
                    mine, passes = ours(npz, a.runs)
                flat = {f"ours_{fmt}_{k}": v for fmt, d in mine.items() for k, v in d.items()}
                rounds.append({**flat, **theirs, "ours_warmup_passes": passes})
            row = {"fixture": name, **{k: statistics.median(r[k] for r in rounds) for k in rounds[0]}}
            rows.append(row)
            print(name, {k: round(v, 2) for k, v in row.items() if k != "fixture"}, file=sys.stderr)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    write_results(a.out, {"runs": a.runs, "warmup": a.warmup, "rounds": a.rounds, "rows": rows},
                  markdown(rows, a, sf.__version__))


def markdown(rows, a, sf_version):
    import pyarrow
    lines = [f"`arrow-npz compare --formats npz,feather --runs {a.runs} --json` (its default warm-up: until the times "
             f"settle; passes made in the last column) on StaticFrame {sf_version} files, against StaticFrame and "
             f"pyarrow {pyarrow.__version__} in Python ({a.runs} runs after {a.warmup} warm-ups); medians of {a.rounds} "
             f"rounds; ms; ratio = ours / peer (under 1: ours faster).", "",
             "| frame | NPZ write | to_npz | ratio | Feather write | write_feather | ratio | NPZ open | Feather open "
             "| mapped read_table | ratio NPZ | ratio Feather | NPZ read | from_npz | ratio | Feather read | read_table "
             "| ratio | warm-up passes |",
             "| --- " * 20 + "|"]
    for r in rows:
        cells = [r["ours_npz_write_ms"], r["staticframe_write_ms"], r["ours_npz_write_ms"] / r["staticframe_write_ms"],
                 r["ours_feather_write_ms"], r["pyarrow_write_ms"], r["ours_feather_write_ms"] / r["pyarrow_write_ms"],
                 r["ours_npz_open_ms"], r["ours_feather_open_ms"], r["pyarrow_open_ms"],
                 r["ours_npz_open_ms"] / r["pyarrow_open_ms"], r["ours_feather_open_ms"] / r["pyarrow_open_ms"],
                 r["ours_npz_read_ms"], r["staticframe_read_ms"], r["ours_npz_read_ms"] / r["staticframe_read_ms"],
                 r["ours_feather_read_ms"], r["pyarrow_read_ms"], r["ours_feather_read_ms"] / r["pyarrow_read_ms"]]
        lines.append("| " + r["fixture"] + " | " + " | ".join(f"{c:.2f}" for c in cells)
                     + f" | {r['ours_warmup_passes']:.0f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
