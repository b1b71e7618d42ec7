"""At the floor: our first read of a .npy and of a C-order 2-d block against NumPy's, in the same run.

Usage (from the repository root, after `mvn -B -DskipTests package`):

    .venv/bin/python benchmarks/peers/npy_bench.py WORKDIR [--copies 9] [--big-copies 3]
                                                    [--out benchmarks/results/npy]

Rows, each file written by NumPy (float64) and copied to distinct files (each its own inode), each read
through once just before its round so that it is in the page cache, as a file just written is:

- `.npy` of 8 MB (1e6 values) and of 800 MB (1e8): ours NumpyTables.read, every value summed, closed
  (PeerHarness read-numpy); NumPy `np.load(path, mmap_mode='r').sum()`. Both map the file.
- a C-order 2-d block of 8 MB (10,000 x 100, 1,000 x 1,000 and 100 x 10,000) in an NPY directory as
  StaticFrame writes a uniform frame, each copy a frame never seen (its first column label differs): ours
  reads the frame (FrameReader of the directory, the block
  transposed into columns, every value summed); NumPy `np.asfortranarray(np.load(block)).sum()`, its
  column-major copy of the same block (read, not mapped: NumPy's fastest way to it).

Every contender runs in a process of its own that touched 2 GiB first and keeps what it frees (harness.py);
the first copies of every row warm up, untimed (five; one of 800 MB: our JIT, NumPy's first calls), then
contenders take turns in rotating order on the others. Medians; ratio = ours / NumPy.
"""
import argparse
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import JAVA, Ours, PeerProcess, copies_of, in_page_cache, timed, touch_memory, write_results  # noqa: E402

SHAPES = {"block 10000x100": (10_000, 100), "block 1000x1000": (1_000, 1_000), "block 100x10000": (100, 10_000)}
WARM_COPIES = 5


def numpy_read(kind, path):
    if kind == "npy":
        return float(np.load(path, mmap_mode="r").sum())
    return float(np.asfortranarray(np.load(os.path.join(path, "__blocks_0__.npy"))).sum())


def worker():
    """NumPy in a process of its own: "KIND PATH" a line in, the seconds its read took out."""
    touch_memory()
    for line in sys.stdin:
        kind, path = line.split(maxsplit=1)
        print(timed(lambda: numpy_read(kind, path.strip())), flush=True)


def block_directories(zero, count, rows, cols, rng):
    """count + 1 NPY directories as StaticFrame's Frame.to_npy writes a frame of one float64 block, each with
    another first column label: our reader keeps a frame's layout by its content, and a copy of the same
    frame would find the one before's, which a first read of a frame never seen does not."""
    import static_frame as sf
    values = rng.standard_normal((rows, cols))
    paths = []
    for k in range(count + 1):
        path = zero.replace("_0.", f"_{k}.")
        if not os.path.exists(path):
            sf.Frame(values, columns=[-1 - k] + list(range(1, cols))).to_npy(path)
        paths.append(path)
    return paths


def files(workdir, copies, big_copies):
    rng = np.random.default_rng(7)
    rows = {}
    made = {"npy 8 MB": lambda p: np.save(p, rng.standard_normal(1_000_000)),
            "npy 800 MB": lambda p: np.save(p, rng.standard_normal(100_000_000))}
    for row, write in made.items():
        stem = row.replace(" ", "-")
        zero = os.path.join(workdir, stem + "_0.npy")
        if not os.path.exists(zero):
            write(zero)
        big = "800" in row
        warm = 1 if big else WARM_COPIES
        rows[row] = ("npy", copies_of(zero, workdir, stem, (big_copies if big else copies) + warm - 1, ".npy"), warm)
    for row, (r, c) in SHAPES.items():
        zero = os.path.join(workdir, row.replace(" ", "-") + "_0.frame")
        rows[row] = ("block", block_directories(zero, copies + WARM_COPIES - 1, r, c, rng), WARM_COPIES)
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workdir")
    p.add_argument("--copies", type=int, default=9)
    p.add_argument("--big-copies", type=int, default=3)
    p.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                  "results", "npy"))
    a = p.parse_args()
    if a.worker:
        worker()
        return
    os.makedirs(a.workdir, exist_ok=True)
    rows = files(a.workdir, a.copies, a.big_copies)
    JAVA[1:1] = ["-Darrow.enable_unsafe_memory_access=true", "-Xms1g", "-XX:+AlwaysPreTouch"]
    ours, numpy = Ours(), PeerProcess(__file__, "numpy")
    contenders = {
        "ours": lambda kind, path: ours.seconds("read-numpy" if kind == "npy" else "read-frame", path),
        "numpy": numpy.seconds,
    }
    times = {row: {c: [] for c in contenders} for row in rows}
    turn = 0
    try:
        longest = max(len(paths) for _, paths, _ in rows.values())
        for k in range(longest):
            for row, (kind, paths, warm) in rows.items():
                if k >= len(paths):
                    continue
                in_page_cache(paths[k])
                names = list(contenders)
                for c in names[turn % 2:] + names[:turn % 2]:
                    t = contenders[c](kind, paths[k])
                    if k >= warm:
                        times[row][c].append(t)
                turn += 1
    finally:
        ours.close()
        numpy.close()
    out = []
    for row in rows:
        medians = {c: statistics.median(ts) * 1000 for c, ts in times[row].items()}
        out.append({"row": row, "copies": len(times[row]["ours"]), **{f"{c}_ms": v for c, v in medians.items()}})
        print(row, {c: round(v, 2) for c, v in medians.items()}, file=sys.stderr)
    write_results(a.out, {"rows": out}, markdown(out))


def markdown(rows):
    lines = ["First reads against NumPy in the same run (distinct copies, each read once, contenders in turns, "
             "medians; every process touched 2 GiB first: docs/BENCHMARKS.md). `.npy`: ours NumpyTables.read, "
             "every value summed, against `np.load(path, mmap_mode='r').sum()`. Block: ours reads the NPY "
             "directory of a uniform frame never seen before (the C-order block transposed into columns, every value summed) "
             "against NumPy's column-major copy of its block, `np.asfortranarray(np.load(block)).sum()`. "
             f"NumPy {np.__version__}; ms; ratio = ours / NumPy.", "",
             "| row | copies | ours | NumPy | ratio |", "| --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['row']} | {r['copies']} | {r['ours_ms']:.2f} | {r['numpy_ms']:.2f} "
                     f"| {r['ours_ms'] / r['numpy_ms']:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
