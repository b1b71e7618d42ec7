"""Peak memory of conversions: `arrow-npz convert` against pyarrow doing the same, each in a process of its own.

Usage: python memory_bench.py WORKDIR [--runs 3] [--gib 1.0] [--big-gib 4.0] [--only panel,events,big]

Inputs, written once into WORKDIR by pyarrow:
- panel: the nine panel frames as uncompressed Feather (a few MB each);
- events: an event log (GroupID, EventID, EventName, Timestamp, UserID, Value) of 10M rows, about 0.5 GB
  as uncompressed Feather in batches of 65,536 rows, and the same table at about --gib GB;
- big: the event log at about --big-gib GB, converted by ours under -Xmx512m (run once).

Conversions: Feather -> Parquet (Snappy, both), Parquet -> Feather (uncompressed), Feather -> IPC stream.
Ours is the command line (`ARROW_NPZ_JAVA_OPTS=-Xmx512m ./arrow-npz convert IN OUT`); pyarrow reads
the table whole (Feather memory-mapped) and writes it, which is how its documentation converts. Peak
RSS is the child's ru_maxrss (resident anonymous and file-backed pages, the mapped input included);
contenders alternate, medians of --runs. Writes memory.md and memory.json beside the other results.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# The command as users run it: the launcher, which sets the JVM up for `convert`; -Xmx512m through its
# ARROW_NPZ_JAVA_OPTS bounds the heap for the big input.
LAUNCHER = os.path.join(harness.ROOT, "arrow-npz")
OURS = [LAUNCHER, "convert"]
OURS_ENV = {**os.environ, "ARROW_NPZ_JAVA_OPTS": "-Xmx512m"}
NAMES = np.array(["Login", "View Dashboard", "Download Report", "Password Reset", "Add to Cart", "Checkout",
                  "Payment Success", "Logout"])
CONVERSIONS = (("feather", "parquet"), ("parquet", "feather"), ("feather", "arrows"))

PEER = r"""
import sys, pyarrow as pa, pyarrow.feather as feather, pyarrow.parquet as pq
src, dst = sys.argv[1], sys.argv[2]
table = pq.read_table(src) if src.endswith(".parquet") else feather.read_table(src, memory_map=True)
if dst.endswith(".parquet"):
    pq.write_table(table, dst, compression="snappy")
elif dst.endswith(".arrows"):
    with pa.OSFile(dst, "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
else:
    feather.write_feather(table, dst, compression="uncompressed")
"""


def events(path, rows):
    """An event log of `rows` rows as uncompressed Feather, written a million rows at a time."""
    if os.path.exists(path):
        return
    rng = np.random.default_rng(7)
    writer = None
    for start in range(0, rows, 1 << 20):
        n = min(1 << 20, rows - start)
        table = pa.table({
            "GroupID": np.arange(start, start + n, dtype=np.int64) // 6,
            "EventID": np.arange(start, start + n, dtype=np.int64),
            "EventName": pa.array(NAMES[rng.integers(0, len(NAMES), n)]),
            "Timestamp": pa.array((1_700_000_000_000_000 + (start + np.arange(n)) * 10).astype("datetime64[us]")),
            "UserID": rng.integers(0, 100_000, n, dtype=np.int32),
            "Value": rng.random(n),
        })
        if writer is None:
            writer = pa.ipc.new_file(path + ".part", table.schema)
        for batch in table.to_batches(max_chunksize=65536):
            writer.write_batch(batch)
    writer.close()
    os.replace(path + ".part", path)


# Runs the command from a fresh, small interpreter: a child's peak RSS (ru_maxrss) counts the pages it
# shared with its parent before exec, so forking from this process, which holds tables, would inflate it.
MEASURE = r"""
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, time.perf_counter() - start)
"""


def peak(command, env=None):
    """Runs a command; returns (peak RSS in MiB, seconds). Fails loudly if the command fails."""
    answer = subprocess.run([sys.executable, "-S", "-c", MEASURE, *command], check=True, capture_output=True,
                            text=True, env=env).stdout.split()
    if answer[0] != "0":
        raise RuntimeError(f"failed ({answer[0]}): {' '.join(command)}")
    return int(answer[1]) / 1024, float(answer[2])


def measure(source, target_ext, workdir, runs, ours_only=False):
    """Medians of ours and pyarrow converting `source` to `target_ext`, alternating."""
    base = os.path.splitext(os.path.basename(source))[0]
    contenders = {"ours": (lambda out: OURS + [source, out], OURS_ENV)}
    if not ours_only:
        contenders["pyarrow"] = (lambda out: [sys.executable, "-c", PEER, source, out], None)
    results = {name: [] for name in contenders}
    for run in range(runs):
        order = list(contenders) if run % 2 == 0 else list(reversed(contenders))
        for name in order:
            out = os.path.join(workdir, "out", f"{base}.{name}.{target_ext}")
            if os.path.exists(out):
                os.remove(out)
            command, env = contenders[name]
            results[name].append(peak(command(out), env))
            os.remove(out)
    return {name: {"rss_mib": statistics.median(r[0] for r in rs), "seconds": statistics.median(r[1] for r in rs)}
            for name, rs in results.items()}


def parquet_of(feather_path):
    """The input as pyarrow writes it to Parquet (Snappy), for the Parquet -> Feather conversion."""
    path = os.path.splitext(feather_path)[0] + ".parquet"
    if not os.path.exists(path):
        pq.write_table(pa.ipc.open_file(feather_path).read_all(), path, compression="snappy")
    return path


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workdir")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--gib", type=float, default=1.0)
    p.add_argument("--big-gib", type=float, default=4.0)
    p.add_argument("--only", default="panel,events,big")
    p.add_argument("--out", default=os.path.join(harness.ROOT, "benchmarks", "results", "memory"))
    a = p.parse_args()
    only = a.only.split(",")
    os.makedirs(os.path.join(a.workdir, "out"), exist_ok=True)
    bytes_per_row = 51  # the event log's Feather bytes per row
    inputs = []
    if "panel" in only:
        directory = harness.panel(a.workdir)
        inputs += [(os.path.join(directory, f + ".feather"), False) for f in harness.FIXTURES]
    if "events" in only:
        for rows in (10_000_000, int(a.gib * 2**30 / bytes_per_row)):
            path = os.path.join(a.workdir, f"events_{rows}.feather")
            events(path, rows)
            inputs.append((path, False))
    if "big" in only:
        path = os.path.join(a.workdir, f"events_{int(a.big_gib * 2**30 / bytes_per_row)}.feather")
        events(path, int(a.big_gib * 2**30 / bytes_per_row))
        inputs.append((path, True))
    rows = []
    for path, big in inputs:
        for source_ext, target_ext in CONVERSIONS:
            source = path if source_ext == "feather" else parquet_of(path)
            result = measure(source, target_ext, a.workdir, 1 if big else a.runs, ours_only=big)
            row = {"input": os.path.basename(source), "mib": os.path.getsize(source) / 2**20,
                   "conversion": f"{source_ext} -> {target_ext}", **result}
            rows.append(row)
            print(json.dumps(row), flush=True)
    with open(a.out + ".json", "w") as f:
        json.dump(rows, f, indent=1)
    with open(a.out + ".md", "w") as f:
        f.write(markdown(rows, a))
    print(markdown(rows, a))


def markdown(rows, a):
    lines = [f"Peak RSS of one conversion in a process of its own (ours: `./arrow-npz convert` under -Xmx512m; pyarrow "
             f"{pa.__version__}: read whole, then write); medians of {a.runs} alternating runs (one run "
             "for the big input, ours only). MiB; ratio = ours / pyarrow.", "",
             "| input | size MiB | conversion | ours MiB | pyarrow MiB | ratio | ours s | pyarrow s |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        peer = r.get("pyarrow")
        lines.append(f"| {r['input']} | {r['mib']:.0f} | {r['conversion']} | {r['ours']['rss_mib']:.0f} | "
                     + (f"{peer['rss_mib']:.0f} | {r['ours']['rss_mib'] / peer['rss_mib']:.2f} | " if peer else "- | - | ")
                     + f"{r['ours']['seconds']:.2f} | " + (f"{peer['seconds']:.2f} |" if peer else "- |"))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
