"""First reads: each file read once, by us and by StaticFrame and pyarrow, the way a job or a service reads files.

Usage (from the repository root, after `mvn -B -DskipTests package`):

    .venv/bin/python benchmarks/peers/cold_bench.py WORKDIR [--copies 11] [--only tall_uniform,...]
                                 [--same-labels] [--warm-copies 20] [--out benchmarks/results/cold]

Each of the nine panel frames is written by StaticFrame (Frame.to_npz, Frame.to_npy) and by pyarrow
(uncompressed Feather), in WARM_COPIES + COPIES distinct files of each kind (each its own inode), each read through
just before its round so that it is in the page cache, as a file just written is. StaticFrame's copies
differ in their first column label (a frame never seen before: nothing our reader keeps by content, such as
a frame's layout, carries over); with --same-labels they are byte-for-byte copies (a folder of files that
share one layout). The first --warm-copies copies of every frame warm every process up (our JIT on files
never timed; Python's imports and first calls). Then, copy by copy, every frame in turn:

- ours: FrameReader.read of the NPZ, and of the NPY directory, every byte of every buffer summed, then
  closed (PeerHarness; -Darrow.enable_unsafe_memory_access=true -Xms1g -XX:+AlwaysPreTouch), no cache; with the
  files mapped (the default) and read into memory (ReadOptions.withMemoryMap(false), as np.load and
  StaticFrame read them);
- StaticFrame: Frame.from_npz / Frame.from_npy, every numeric block summed;
- pyarrow: feather.read_table(memory_map=True), every column summed (pyarrow.compute.sum; a string column's
  value lengths).

Every contender runs in a process of its own (a JVM for our NPZ reads, one for our NPY-directory reads, a
Python process per peer), so that what one leaves in its process (memory its allocator keeps, say) helps
or hinders none of the others. Contenders take turns in rotating order; each file is read once by each;
medians over the copies. Frames go round-robin, so nothing a read parsed for one frame is what the next
read needs. Writes OUT.md and OUT.json; ratio = ours / peer (under 1: ours faster).
"""
import os
import statistics
import sys

import numpy as np
import pyarrow.compute as pc
import pyarrow.feather as feather

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (JAVA, FIXTURES, Ours, PeerProcess, copies_of, in_page_cache, panel,  # noqa: E402
                     staticframe_files, timed, touch_memory, write_results)


def relabelled_copies(npz, directory, name, count):
    """count + 1 StaticFrame frames like the one in npz, each with its first column label changed (same
    width), as NPZ (name_K.npz) and NPY directory (name_K.npy): frames of equal content would let our reader
    find copy K's labels, names and schema as copy K-1 left them (FrameLayouts, kept by content), which a
    first read of a frame never seen does not."""
    import static_frame as sf
    frame = None
    npzs, dirs = [], []
    for k in range(count + 1):
        path = os.path.join(directory, f"{name}_{k}")
        if not (os.path.exists(path + ".npz") and os.path.exists(path + ".npy")):
            frame = frame if frame is not None else sf.Frame.from_npz(npz)
            first = str(frame.columns[0])
            label = (f"k{k}" + first)[:len(first)]
            copy = frame.relabel(columns=[label] + list(frame.columns[1:]))
            copy.to_npz(path + ".npz")
            copy.to_npy(path + ".npy")
        npzs.append(path + ".npz")
        dirs.append(path + ".npy")
    return npzs, dirs


def staticframe_sum(frame):
    total = 0.0
    for block in frame._blocks._blocks:
        if block.dtype.kind in "iufcb":
            total += float(block.sum())
    return total


def pyarrow_sum(table):
    total = 0
    for column in table.columns:
        if column.type in ("string", "large_string") or str(column.type).startswith(("string", "large_string")):
            column = pc.binary_length(column)
        s = pc.sum(column).as_py()
        total += 0 if s is None else float(s)
    return total


PEER_READS = {
    "staticframe_npz": lambda path: staticframe_sum(__import__("static_frame").Frame.from_npz(path)),
    "staticframe_npy_dir": lambda path: staticframe_sum(__import__("static_frame").Frame.from_npy(path)),
    "pyarrow": lambda path: pyarrow_sum(feather.read_table(path, memory_map=True)),
}


def worker(kind):
    """A peer in a process of its own: a path a line in, the seconds its read took out."""
    read = PEER_READS[kind]
    touch_memory()
    for line in sys.stdin:
        print(timed(lambda: read(line.strip())), flush=True)


def main():
    import argparse
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workdir")
    p.add_argument("--copies", type=int, default=11)
    p.add_argument("--only", default="")
    p.add_argument("--same-labels", action="store_true",
                   help="identical copies (a folder of files with one layout) instead of relabelled ones")
    p.add_argument("--warm-copies", type=int, default=20, help="copies read first, untimed (the JIT, first calls)")
    p.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                  "results", "cold"))
    a = p.parse_args()
    if a.worker:
        worker(a.worker)
        return
    names = a.only.split(",") if a.only else FIXTURES
    import static_frame as sf
    panel_dir = panel(a.workdir)
    cold = os.path.join(a.workdir, "cold-same-labels" if a.same_labels else "cold-relabelled")
    os.makedirs(cold, exist_ok=True)
    files = {}
    total = a.warm_copies + a.copies
    for name in names:
        npz, npy_dir = staticframe_files(a.workdir, panel_dir, name)
        if a.same_labels:
            npzs = copies_of(npz, cold, name, total - 1, ".npz")
            dirs = copies_of(npy_dir, cold, name, total - 1, ".npy")
        else:
            npzs, dirs = relabelled_copies(npz, cold, name, total - 1)
        files[name] = {
            "npz": npzs,
            "npy": dirs,
            "feather": copies_of(os.path.join(panel_dir, name + ".feather"), cold, name, total - 1, ".feather"),
        }
    # The heap committed and touched up front, as a service is run (-Xms, AlwaysPreTouch): on this machine a
    # first touch of a fresh page costs about 22 us, and a heap left to grow made our times jump between
    # phases of 8 ms and 35 ms for one frame as the collector moved to regions never touched before.
    JAVA[1:1] = ["-Darrow.enable_unsafe_memory_access=true", "-Xms1g", "-XX:+AlwaysPreTouch"]
    # Every contender in a process of its own, ours too (one JVM for NPZ files, one for NPY directories).
    ours = ("ours_npz", "ours_npy_dir", "ours_npz_read", "ours_npy_dir_read")
    processes = {**{c: Ours() for c in ours}, **{kind: PeerProcess(__file__, kind) for kind in PEER_READS}}
    kinds = {"ours_npz": "npz", "ours_npy_dir": "npy", "ours_npz_read": "npz", "ours_npy_dir_read": "npy",
             "staticframe_npz": "npz", "staticframe_npy_dir": "npy", "pyarrow": "feather"}
    def read(contender, path):
        process = processes[contender]
        if contender.endswith("_read"):
            return process.seconds("read-frame", path, "read")
        return process.seconds("read-frame", path) if contender.startswith("ours") else process.seconds(path)
    order = list(kinds)
    times = {name: {c: [] for c in order} for name in names}
    try:
        turn = 0
        # The first warm_copies copies of every frame warm up (our JIT, on frames of their own; Python's imports
        # and first calls): none of them is timed.
        for k in range(total):
            for name in names:
                for paths in files[name].values():
                    in_page_cache(paths[k])
            for name in names:
                for c in order[turn % len(order):] + order[:turn % len(order)]:
                    t = read(c, files[name][kinds[c]][k])
                    if k >= a.warm_copies:
                        times[name][c].append(t)
                turn += 1
    finally:
        for process in processes.values():
            process.close()
    rows = []
    for name in names:
        row = {"fixture": name, **{f"{c}_ms": statistics.median(ts) * 1000 for c, ts in times[name].items()}}
        rows.append(row)
        print(name, {k: round(v, 2) for k, v in row.items() if k != "fixture"}, file=sys.stderr)
    write_results(a.out, {"copies": a.copies, "rows": rows}, markdown(rows, a, sf.__version__))


def markdown(rows, a, sf_version):
    import pyarrow
    copies = ("byte-for-byte copies (--same-labels: one layout, as a folder of partitions)" if a.same_labels
              else "StaticFrame's copies relabelled, each a frame never seen before")
    lines = [f"First reads (each file read once; {a.copies} distinct copies a frame, {copies}; medians; JIT warmed "
             f"on {a.warm_copies} other copies of each; every process touched 2 GiB of memory first and keeps what it frees, docs/BENCHMARKS.md). "
             f"StaticFrame {sf_version}, pyarrow {pyarrow.__version__}; ms; ratio = ours / peer "
             "(under 1: ours faster). Ours twice: files mapped (the default) and read into memory "
             "(`ReadOptions.withMemoryMap(false)`, as `np.load` and StaticFrame read).", "",
             "NPZ against StaticFrame's `from_npz` and pyarrow's mapped Feather:", "",
             "| frame | ours mapped | ours read | StaticFrame from_npz | ratio mapped | ratio read "
             "| pyarrow mapped Feather | ratio mapped | ratio read |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        m, rd, sf_, pa = r["ours_npz_ms"], r["ours_npz_read_ms"], r["staticframe_npz_ms"], r["pyarrow_ms"]
        lines.append(f"| {r['fixture']} | {m:.2f} | {rd:.2f} | {sf_:.2f} | {m / sf_:.2f} | {rd / sf_:.2f} "
                     f"| {pa:.2f} | {m / pa:.2f} | {rd / pa:.2f} |")
    lines += ["", "NPY directories against StaticFrame's `from_npy`:", "",
              "| frame | ours mapped | ours read | StaticFrame from_npy | ratio mapped | ratio read |",
              "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        m, rd, sf_ = r["ours_npy_dir_ms"], r["ours_npy_dir_read_ms"], r["staticframe_npy_dir_ms"]
        lines.append(f"| {r['fixture']} | {m:.2f} | {rd:.2f} | {sf_:.2f} | {m / sf_:.2f} | {rd / sf_:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
