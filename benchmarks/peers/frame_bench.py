"""Warm: opening and reading the same StaticFrame frame file again and again, against pyarrow and StaticFrame.

First reads (each file read once, what a job or a service mostly does) are cold_bench.py's; this runner
times the same file over and over in one process, as a notebook rereading a file does.

Usage (from the repository root, after `mvn -B -DskipTests package`):

    .venv/bin/python benchmarks/peers/frame_bench.py WORKDIR [--runs 15] [--warmup 10] [--only wide_mixed,...]
                                                      [--out benchmarks/results/frames]

Each panel frame (WritePanel, 1e6 values) is turned into a StaticFrame Frame (one index level, blocks
consolidated as StaticFrame keeps them) and written by StaticFrame itself as an NPZ (Frame.to_npz) and
an NPY directory (Frame.to_npy); pyarrow gets the same table as an uncompressed Feather file.

- open: ours, FrameReader.read of the NPZ and of the NPY directory to a VectorSchemaRoot (closed without
  touching a value; columns are views of the file where the layout allows), against pyarrow's
  feather.read_table(memory_map=True) of the Feather file;
- read: ours, the same with every byte of every buffer summed, against StaticFrame's Frame.from_npz
  (which reads every value into memory).

Contenders take turns in rotating order in every run, after --warmup runs; medians. The NPZ open and the
NPY-directory open each take turns with pyarrow in a run of their own (a directory's thousands of mappings,
retired after the open, would slow whichever open came next), and each is compared with pyarrow's time in
its own run. Writes OUT.md and OUT.json.
"""
import os
import sys

import pyarrow.feather as feather

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Ours, arguments, interleaved, panel, staticframe_files, staticframe_panel, timed, write_results  # noqa: E402


def main():
    a, fixtures = arguments(__doc__, "frames", runs=15, warmup=10)
    import static_frame as sf
    panel_dir = panel(a.workdir)
    staticframe_panel(a.workdir, panel_dir, fixtures)
    ours = Ours()
    rows = []
    try:
        for name in fixtures:
            feather_path = os.path.join(panel_dir, name + ".feather")
            npz, npy_dir = staticframe_files(a.workdir, panel_dir, name)
            # Each of ours against pyarrow on its own: an NPY directory's thousands of mappings, retired
            # after the open, would otherwise slow whichever open comes next.
            def pyarrow_open():
                return timed(lambda: feather.read_table(feather_path, memory_map=True))
            opens = interleaved({"ours_npz": lambda: ours.seconds("open-frame", npz), "pyarrow": pyarrow_open},
                                a.runs, a.warmup)
            # Each ratio against pyarrow's time from its own interleaved run: the machine's pace drifts
            # between the two.
            dir_opens = interleaved({"ours_npy_dir": lambda: ours.seconds("open-frame", npy_dir),
                                     "pyarrow": pyarrow_open}, a.runs, a.warmup)
            opens["ours_npy_dir"] = dir_opens["ours_npy_dir"]
            opens["pyarrow_beside_npy_dir"] = dir_opens["pyarrow"]
            reads = interleaved({
                "ours": lambda: ours.seconds("read-frame", npz),
                "staticframe": lambda: timed(lambda: sf.Frame.from_npz(npz)),
            }, a.runs, a.warmup)
            row = {"fixture": name, **{f"open_{k}_ms": v * 1000 for k, v in opens.items()},
                   **{f"read_{k}_ms": v * 1000 for k, v in reads.items()}}
            rows.append(row)
            print(name, {k: round(v, 3) for k, v in row.items() if k != "fixture"}, file=sys.stderr)
    finally:
        ours.close()
    write_results(a.out, {"runs": a.runs, "warmup": a.warmup, "rows": rows}, markdown(rows, a, sf.__version__))


def markdown(rows, a, sf_version):
    import pyarrow
    lines = [f"StaticFrame {sf_version} files, pyarrow {pyarrow.__version__}: medians of {a.runs} interleaved runs "
             f"after {a.warmup} warm-ups; ms; ratio = ours / peer (under 1: ours faster).", "",
             "| frame | open NPZ | pyarrow mapped Feather | ratio NPZ | open NPY dir | pyarrow, in that run "
             "| ratio NPY dir | read NPZ, summed | StaticFrame from_npz | ratio |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append("| {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} |".format(
            r["fixture"], r["open_ours_npz_ms"], r["open_pyarrow_ms"], r["open_ours_npz_ms"] / r["open_pyarrow_ms"],
            r["open_ours_npy_dir_ms"], r["open_pyarrow_beside_npy_dir_ms"],
            r["open_ours_npy_dir_ms"] / r["open_pyarrow_beside_npy_dir_ms"],
            r["read_ours_ms"], r["read_staticframe_ms"], r["read_ours_ms"] / r["read_staticframe_ms"]))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
