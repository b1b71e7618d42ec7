"""Arrays past 2 GiB: arrow-npz against NumPy on one big float64 array, read and written, in one run.

Usage (from the repository root, after `mvn -B -DskipTests package`):

    .venv/bin/python benchmarks/peers/big_bench.py WORKDIR [--gib 4.0] [--runs 3] [--warmup 1]
                                                    [--out benchmarks/results/big]

NumPy writes the array once as an `.npy` (through a memory map) and as a one-member NPZ (`np.savez`,
stored, ZIP64). Then, contenders alternating, medians:

- read, every value touched: ours, NumpyTables.read (the `.npy` and the NPZ member are views of the
  file's mapping) with every 8 bytes summed, against `np.load(path, mmap_mode='r').sum()` (the physical
  floor: page faults); for the NPZ, against `np.load(npz)['a'].sum()` (NumPy cannot map a ZIP member and
  reads it into memory);
- write: ours, NumpyTables.write of the array held in memory (read from the `.npy` first) to a new `.npy`,
  against `np.save` of the same array in NumPy's memory.

Writes OUT.md and OUT.json.
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Ours, interleaved, timed  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workdir")
    p.add_argument("--gib", type=float, default=4.0)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", "big"))
    a = p.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    n = int(a.gib * 2**30 / 8)
    npy = os.path.join(a.workdir, f"big_{n}.npy")
    npz = os.path.join(a.workdir, f"big_{n}.npz")
    if not os.path.exists(npy):
        target = np.lib.format.open_memmap(npy + ".part", mode="w+", dtype="<f8", shape=(n,))
        step = 1 << 24
        for start in range(0, n, step):
            target[start:start + step] = np.arange(start, min(n, start + step), dtype="<f8") * 0.5
        target.flush()
        del target
        os.replace(npy + ".part", npy)
    if not os.path.exists(npz):
        np.savez(npz + ".part.npz", a=np.load(npy, mmap_mode="r"))
        os.replace(npz + ".part.npz", npz)
    in_memory = np.load(npy)
    ours = Ours()
    rows = []
    try:
        ours.ask("load-numpy", "big", npy)
        out_ours = os.path.join(a.workdir, "written_ours.npy")
        out_numpy = os.path.join(a.workdir, "written_numpy.npy")

        def write_ours():
            if os.path.exists(out_ours):
                os.remove(out_ours)
            return ours.seconds("write-numpy", "big", out_ours)

        def write_numpy():
            if os.path.exists(out_numpy):
                os.remove(out_numpy)
            return timed(lambda: np.save(out_numpy, in_memory))

        cases = [
            ("read .npy, summed", {"ours": lambda: ours.seconds("read-numpy", npy),
                                   "numpy": lambda: timed(lambda: np.load(npy, mmap_mode="r").sum())}),
            ("read NPZ member, summed", {"ours": lambda: ours.seconds("read-numpy", npz),
                                         "numpy": lambda: timed(lambda: np.load(npz)["a"].sum())}),
            ("write .npy", {"ours": write_ours, "numpy": write_numpy}),
        ]
        for name, contenders in cases:
            medians = interleaved(contenders, a.runs, a.warmup)
            row = {"operation": name, "gib": n * 8 / 2**30, **{f"{k}_s": v for k, v in medians.items()}}
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        for path in (out_ours, out_numpy):
            if os.path.exists(path):
                os.remove(path)
    finally:
        ours.close()
    with open(a.out + ".json", "w") as f:
        json.dump({"runs": a.runs, "warmup": a.warmup, "numpy": np.__version__, "rows": rows}, f, indent=1)
    text = markdown(rows, a)
    with open(a.out + ".md", "w") as f:
        f.write(text)
    print(text)


def markdown(rows, a):
    lines = [f"One float64 array of {rows[0]['gib']:.2f} GiB; NumPy {np.__version__}; medians of {a.runs} "
             f"alternating runs after {a.warmup} warm-up; seconds; ratio = ours / NumPy (under 1: ours faster).",
             "", "| operation | ours s | NumPy s | ratio |", "| --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['operation']} | {r['ours_s']:.2f} | {r['numpy_s']:.2f} | {r['ours_s'] / r['numpy_s']:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
