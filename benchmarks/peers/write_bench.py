"""Writing frames and Feather files, and compressed Feather both ways: arrow-npz against StaticFrame and pyarrow.

Usage (from the repository root, after `mvn -B -DskipTests package`):

    .venv/bin/python benchmarks/peers/write_bench.py WORKDIR [--runs 7] [--warmup 5] [--only tall_mixed,...]
                                                      [--out benchmarks/results/writes]

Writes (issue 16, target 3), on each panel frame: ours holds the frame StaticFrame wrote (FrameReader of
its NPZ) and writes it as an NPZ and as a new NPY directory (FrameWriter), and holds the panel's Feather
file read into memory and writes it back as uncompressed Feather (FeatherFiles); StaticFrame writes the
same frame (Frame.to_npz, and Frame.to_npy to a new directory), pyarrow the same table (feather.write_feather, uncompressed).

Compressed Feather (target 4), on each panel frame and on three compressible frames (small ints, a few
float values, repeated strings; tall, square and wide, 1e6 values): for LZ4 and ZSTD, ours
(FeatherFiles.write) against pyarrow (write_feather) from the same table in memory, then both reading the
file pyarrow wrote, whole and decompressed (FeatherFiles.read; feather.read_table).

Every comparison alternates its contenders, run after run, after --warmup runs; medians. Writes OUT.md
and OUT.json.
"""
import os
import shutil
import sys
import tempfile

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Ours, arguments, interleaved, panel, staticframe_files, timed, write_results  # noqa: E402

CODECS = ("lz4", "zstd")
SHAPES = {"tall": (10_000, 100), "square": (1_000, 1_000), "wide": (100, 10_000)}


def compressible(panel_dir, shape):
    """A frame that compresses well, written once as uncompressed Feather: columns in turn small ints (0-7),
    float64 of four values, strings of six words; the path."""
    path = os.path.join(panel_dir, f"{shape}_compressible.feather")
    if not os.path.exists(path):
        rows, columns = SHAPES[shape]
        rng = np.random.default_rng(16)
        words = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta"], dtype=object)
        arrays = {}
        for c in range(columns):
            kind = c % 3
            if kind == 0:
                arrays[f"c{c}"] = pa.array(rng.integers(0, 8, rows, dtype=np.int64))
            elif kind == 1:
                arrays[f"c{c}"] = pa.array(rng.choice([0.0, 0.5, 1.0, 2.5], rows))
            else:
                arrays[f"c{c}"] = pa.array(rng.choice(words, rows), type=pa.string())
        feather.write_feather(pa.table(arrays), path, compression="uncompressed")
    return path


def frame_writes(a, ours, panel_dir, name, out_dir):
    import static_frame as sf
    npz, _ = staticframe_files(a.workdir, panel_dir, name)
    source = os.path.join(panel_dir, name + ".feather")
    ours.ask("load-frame", name, npz)
    ours.ask("load", name + "_table", source)
    frame = sf.Frame.from_npz(npz)
    table = feather.read_table(source, memory_map=False)
    out = {k: os.path.join(out_dir, f"{name}_{k}") for k in ("ours.npz", "ours.npy", "ours.feather", "sf.npz",
                                                              "sf.npy", "pyarrow.feather")}
    ours_npy_dir = FreshDirectories(out["ours.npy"], lambda path: ours.seconds("write-frame", name, path))
    sf_npy_dir = FreshDirectories(out["sf.npy"], lambda path: timed(lambda: frame.to_npy(path)))
    times = interleaved({
        "ours_npz": lambda: ours.seconds("write-frame", name, out["ours.npz"]),
        "ours_npy_dir": ours_npy_dir,
        "ours_feather": lambda: ours.seconds("write-feather", name + "_table", out["ours.feather"], "none"),
        "staticframe": lambda: timed(lambda: frame.to_npz(out["sf.npz"])),
        # StaticFrame's NPY directory: the same job as ours on the same file system (a file per array)
        "staticframe_npy_dir": sf_npy_dir,
        "pyarrow": lambda: timed(lambda: feather.write_feather(table, out["pyarrow.feather"],
                                                               compression="uncompressed")),
    }, a.runs, a.warmup)
    check_frame(sf, out["ours.npz"], ours_npy_dir.last, frame)
    ours_npy_dir.clear()
    sf_npy_dir.clear()
    return {"fixture": name, **{f"write_{k}_ms": v * 1000 for k, v in times.items()}}


class FreshDirectories:
    """A contender that writes an NPY directory to a new path on every call (BASE.0, BASE.1, ...) and, outside
    the time it returns, deletes the one written before. Writing over the same directory time after time
    measured the file system's inode allocator more than the writer: on ext4, files created just after
    thousands were deleted cost 0.4 ms each (10,000 empty files by os.open: 4.4 s, against 0.9 s in a
    quieter moment), and a replace also paid for deleting the old tree. A new directory is what a user's
    write makes; StaticFrame's to_npy, which refuses an existing one, is measured the same way."""

    def __init__(self, base, write):
        self.base, self.write, self.count, self.last = base, write, 0, None

    def __call__(self):
        path = f"{self.base}.{self.count}"
        self.count += 1
        seconds = self.write(path)
        if self.last is not None:
            shutil.rmtree(self.last, ignore_errors=True)
        self.last = path
        return seconds

    def clear(self):
        if self.last is not None:
            shutil.rmtree(self.last, ignore_errors=True)


def check_frame(sf, npz, npy_dir, expected):
    """What we wrote is the frame StaticFrame holds: a benchmark of a wrong write means nothing."""
    for got in (sf.Frame.from_npz(npz), sf.Frame.from_npy(npy_dir)):
        if not got.equals(expected, compare_dtype=True):
            raise SystemExit(f"write_bench: our frame differs from StaticFrame's: {npz}")


def codec_rows(a, ours, name, source, out_dir):
    ours.ask("load", name, source)
    table = feather.read_table(source, memory_map=False)
    rows = []
    for codec in CODECS:
        mine = os.path.join(out_dir, f"{name}_{codec}_ours.feather")
        theirs = os.path.join(out_dir, f"{name}_{codec}_pyarrow.feather")
        writes = interleaved({
            "ours": lambda: ours.seconds("write-feather", name, mine, codec),
            "pyarrow": lambda: timed(lambda: feather.write_feather(table, theirs, compression=codec)),
        }, a.runs, a.warmup)
        reads = interleaved({
            "ours": lambda: ours.seconds("read-feather", theirs),
            "pyarrow": lambda: timed(lambda: feather.read_table(theirs)),
        }, a.runs, a.warmup)
        if not feather.read_table(mine).equals(table):
            raise SystemExit(f"write_bench: pyarrow reads other values from our {codec} file {mine}")
        rows.append({"fixture": name, "codec": codec, "ours_write_ms": writes["ours"] * 1000,
                     "pyarrow_write_ms": writes["pyarrow"] * 1000, "ours_read_ms": reads["ours"] * 1000,
                     "pyarrow_read_ms": reads["pyarrow"] * 1000, "ours_bytes": os.path.getsize(mine),
                     "pyarrow_bytes": os.path.getsize(theirs)})
        r = rows[-1]
        print(f"{name} {codec}: write {r['ours_write_ms']:.1f} / {r['pyarrow_write_ms']:.1f} ms, "
              f"read {r['ours_read_ms']:.1f} / {r['pyarrow_read_ms']:.1f} ms", file=sys.stderr)
    return rows


def main():
    a, fixtures = arguments(__doc__, "writes", runs=7, warmup=5)
    import static_frame as sf
    panel_dir = panel(a.workdir)
    out_dir = tempfile.mkdtemp(dir=a.workdir)
    ours = Ours()
    frames, codecs = [], []
    try:
        for name in fixtures:
            frames.append(frame_writes(a, ours, panel_dir, name, out_dir))
            print(name, {k: round(v, 2) for k, v in frames[-1].items() if k != "fixture"}, file=sys.stderr)
        for name in fixtures:
            codecs += codec_rows(a, ours, name, os.path.join(panel_dir, name + ".feather"), out_dir)
        for shape in SHAPES:
            codecs += codec_rows(a, ours, f"{shape}_compressible", compressible(panel_dir, shape), out_dir)
    finally:
        ours.close()
        shutil.rmtree(out_dir, ignore_errors=True)
    write_results(a.out, {"runs": a.runs, "warmup": a.warmup, "frames": frames, "codecs": codecs},
                  markdown(frames, codecs, a, sf.__version__))


def markdown(frames, codecs, a, sf_version):
    lines = [f"StaticFrame {sf_version}, pyarrow {pa.__version__}: medians of {a.runs} interleaved runs after "
             f"{a.warmup} warm-ups; ms.", "", "## Writes", "",
             "| frame | ours NPZ | ours NPY dir | ours Feather | StaticFrame to_npz | StaticFrame to_npy "
             "| pyarrow write_feather | NPZ / to_npz | NPZ / pyarrow | Feather / pyarrow | NPY dir / NPZ "
             "| NPY dir / to_npy |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in frames:
        lines.append(("| {} |" + " {:.2f} |" * 11).format(
            r["fixture"], r["write_ours_npz_ms"], r["write_ours_npy_dir_ms"], r["write_ours_feather_ms"],
            r["write_staticframe_ms"], r["write_staticframe_npy_dir_ms"], r["write_pyarrow_ms"],
            r["write_ours_npz_ms"] / r["write_staticframe_ms"], r["write_ours_npz_ms"] / r["write_pyarrow_ms"],
            r["write_ours_feather_ms"] / r["write_pyarrow_ms"], r["write_ours_npy_dir_ms"] / r["write_ours_npz_ms"],
            r["write_ours_npy_dir_ms"] / r["write_staticframe_npy_dir_ms"]))
    lines += ["", "## Compressed Feather", "",
              "| frame | codec | ours write | pyarrow write | ratio | ours read | pyarrow read | ratio "
              "| ours bytes | pyarrow bytes |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in codecs:
        lines.append("| {} | {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {} | {} |".format(
            r["fixture"], r["codec"], r["ours_write_ms"], r["pyarrow_write_ms"],
            r["ours_write_ms"] / r["pyarrow_write_ms"], r["ours_read_ms"], r["pyarrow_read_ms"],
            r["ours_read_ms"] / r["pyarrow_read_ms"], r["ours_bytes"], r["pyarrow_bytes"]))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
