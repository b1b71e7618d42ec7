"""What every peer benchmark here shares: our side in a warm JVM (PeerHarness), timing, interleaving.

Each benchmark names contenders (ours and the peers) as functions that do one operation and return
the seconds it took; `interleaved` runs them in alternating order, run after run, drops the warm-ups and
returns the medians, so that a noisy, shared machine affects every contender alike.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JAR = os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar")
# The JVM flags the launcher gives every command (Arrow's add-opens; Netty's buffers not zeroed by the JDK).
JAVA = ["java", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true", "-Xmx4g",
        "-cp", JAR]
FIXTURES = [f"{s}_{m}" for s in ("tall", "square", "wide") for m in ("uniform", "mixed", "columnar")]
# This machine's host backs a guest page only when it is first touched (100-500 MB/s), and takes back within
# seconds what a process gives back to the OS. So every contender's process keeps what it frees (glibc's
# allocator, which Python, NumPy and the JVM's off-heap memory use: pieces of up to 32 MiB from its heap, never
# trimmed) and touches memory once at start (touch_memory, PeerHarness's "touch"): no contender's timed read
# pays the host's first touch. See docs/BENCHMARKS.md, "How we measure".
KEEP_FREED = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(1 << 40),
              "MALLOC_ARENA_MAX": "2"}
TOUCH_MIB = 2048


def kept_env():
    """The environment of a contender's process: this one's, with KEEP_FREED."""
    return {**os.environ, **KEEP_FREED}


def touch_memory(mib=TOUCH_MIB, out=sys.stderr):
    """Touches mib MiB of new memory in 16 MiB pieces, twice, frees it (kept by the process when it runs with
    KEEP_FREED), and prints both rates: the first is the host's, the second the memory's."""
    import numpy as np
    pieces = []
    start = time.perf_counter()
    for _ in range(mib // 16):
        piece = np.empty(16 << 20, dtype=np.uint8)
        piece[::4096] = 1
        pieces.append(piece)
    first = time.perf_counter() - start
    start = time.perf_counter()
    for piece in pieces:
        piece[::4096] = 2
    again = time.perf_counter() - start
    del pieces
    print(f"memory touched first: {mib} MiB, first touch {mib * 1.048576 / first:.0f} MB/s, "
          f"again {mib * 1.048576 / again:.0f} MB/s", file=out, flush=True)


def measured_process():
    """Makes this process one whose figures are the program's: run again with KEEP_FREED in its environment if
    it lacks it (glibc reads it only at start), then memory touched (touch_memory). For benchmarks whose peers
    run in this process."""
    if any(os.environ.get(k) != v for k, v in KEEP_FREED.items()):
        sys.stdout.flush()
        os.execve(sys.executable, [sys.executable] + sys.argv, kept_env())
    touch_memory()


def arguments(doc, out_name, runs, warmup, extra=None):
    """The options every benchmark takes: WORKDIR, --runs, --warmup, --only, --out, and any that `extra(parser)`
    adds. Returns (args, fixtures), in a measured_process: the peers of these benchmarks run in this one."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    if extra:
        extra(p)
    p.add_argument("workdir")
    p.add_argument("--runs", type=int, default=runs)
    p.add_argument("--warmup", type=int, default=warmup)
    p.add_argument("--only", default="", help="comma-separated fixtures (default: all nine)")
    p.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "results", out_name),
                   help="where OUT.md and OUT.json go")
    a = p.parse_args()
    measured_process()
    return a, a.only.split(",") if a.only else FIXTURES


class Ours:
    """The PeerHarness JVM: one operation a line, the nanoseconds it took back."""

    def __init__(self):
        self.proc = subprocess.Popen(JAVA + ["io.arrownpz.benchmarks.PeerHarness"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=kept_env())
        self.ask("touch", str(TOUCH_MIB))

    def ask(self, *words):
        self.proc.stdin.write(" ".join(words) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if not answer or answer.startswith("error"):
            raise RuntimeError(f"PeerHarness: {' '.join(words)}: {answer}")
        return answer

    def seconds(self, *words):
        return int(self.ask(*words).split()[0]) / 1e9

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait()


def copies_of(source, directory, name, count, suffix):
    """count + 1 distinct copies of a file or directory (each its own inode): directory/name_K.suffix, made once;
    copy 0 may be the source itself."""
    import shutil
    paths = []
    for k in range(count + 1):
        path = os.path.join(directory, f"{name}_{k}{suffix}")
        if not os.path.exists(path):
            (shutil.copytree if os.path.isdir(source) else shutil.copyfile)(source, path)
        paths.append(path)
    return paths


def in_page_cache(path):
    """Reads a file (or a directory's files) through, so that its pages are in the page cache, as a file just
    written is: the machine may have dropped them since they were copied."""
    for f in [os.path.join(path, n) for n in os.listdir(path)] if os.path.isdir(path) else [path]:
        with open(f, "rb") as handle:
            while handle.read(1 << 20):
                pass


class PeerProcess:
    """A peer contender in a process of its own (`SCRIPT --worker KIND -`, in a kept_env), so that what its reads
    leave in its allocator affects only its own next read: a line of words in, the seconds its read took out."""

    def __init__(self, script, kind):
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(script), "--worker", kind, "-"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=kept_env())

    def seconds(self, *words):
        self.proc.stdin.write(" ".join(words) + "\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def panel(workdir):
    """The nine panel frames as uncompressed Feather (WritePanel), written once into WORKDIR/panel."""
    directory = os.path.join(workdir, "panel")
    if not all(os.path.exists(os.path.join(directory, f + ".feather")) for f in FIXTURES):
        subprocess.run(JAVA + ["io.arrownpz.benchmarks.WritePanel", directory], check=True,
                       stdout=subprocess.DEVNULL)
    return directory


def staticframe_files(workdir, panel_dir, name):
    """(NPZ, NPY directory) of a panel frame as StaticFrame writes it (Frame.to_npz, Frame.to_npy), made once:
    one index level, blocks consolidated as StaticFrame keeps them."""
    import pyarrow.feather as feather
    import static_frame as sf
    files = os.path.join(workdir, "staticframe")
    os.makedirs(files, exist_ok=True)
    npz = os.path.join(files, name + ".npz")
    npy_dir = os.path.join(files, name + ".npy")
    if not os.path.exists(npz):
        table = feather.read_table(os.path.join(panel_dir, name + ".feather"))
        frame = sf.Frame.from_arrow(table, index_depth=1, consolidate_blocks=True)
        frame.to_npz(npz)
        frame.to_npy(npy_dir)
    return npz, npy_dir


def staticframe_panel(workdir, panel_dir, names):
    """staticframe_files for every frame in NAMES."""
    for name in names:
        staticframe_files(workdir, panel_dir, name)


def write_results(out, document, text):
    """OUT.json (the figures, for report.py) and OUT.md (the table); the table is printed too."""
    import json
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out + ".json", "w") as f:
        json.dump(document, f, indent=1)
    with open(out + ".md", "w") as f:
        f.write(text)
    print(text)


def timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def settle(action, min_seconds=3.0, max_seconds=15.0, window=20, tolerance=0.03, max_calls=3000):
    """Calls a seconds-returning `action` until its times settle: for at least `min_seconds`, then until the
    median of the last `window` calls is no better than the median of the `window` before by `tolerance`,
    within `max_seconds` and `max_calls`. Returns the calls made.

    The JVM compiles per-column code only after thousands of calls: ten warm-up runs left a 100-column open
    at ten times what a program that keeps the library loaded pays (7.5 ms against 0.65 ms). Medians of
    windows, not the best call so far: on this noisy machine one lucky call made the old rule (five calls
    no better than the best) stop a C-order open at its 15th call, 10 ms, where it levels out at 2.5-4 ms
    after some 300."""
    start = time.perf_counter()
    times = []
    while len(times) < max_calls:
        times.append(action())
        spent = time.perf_counter() - start
        if spent >= max_seconds:
            break
        if spent >= min_seconds and len(times) >= 2 * window:
            last = statistics.median(times[-window:])
            before = statistics.median(times[-2 * window:-window])
            if last >= before * (1 - tolerance):
                break
    return len(times)


def interleaved(contenders, runs, warmup):
    """{name: seconds-returning function} -> {name: median seconds}, alternating order, warm-ups dropped.
    Our contenders (names starting "ours") run in a JVM and are first called until their times settle."""
    names = list(contenders)
    for n in names:
        if n.startswith("ours"):
            settle(contenders[n])
    times = {n: [] for n in names}
    for run in range(warmup + runs):
        order = names[run % len(names):] + names[:run % len(names)]
        for n in order:
            t = contenders[n]()
            if run >= warmup:
                times[n].append(t)
    return {n: statistics.median(ts) for n, ts in times.items()}
