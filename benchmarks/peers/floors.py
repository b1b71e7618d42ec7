"""What reading the panel frames' bytes costs on this machine, before any reader does anything with them.

Usage (after cold_bench.py made its copies):
    .venv/bin/python benchmarks/peers/floors.py WORKDIR > benchmarks/results/floors.md

For the StaticFrame files cold_bench.py copied (WORKDIR/cold-relabelled), medians over the copies, page-cache
warm, in a measured process (harness.measured_process):
- mapping every block file and touching each page (what any zero-copy reader of them pays when every
  value is read, pyarrow's mapped Feather included);
- the same with the pages mapped by the mmap call itself (MAP_POPULATE), one system call instead of a fault
  at a time;
- reading them with pread into memory already in use (what a reader that copies pays at least);
- touching 8 MiB of fresh anonymous memory (what a reader pays for new memory it fills);
then Java's floors (ReadFloors: a plain copy, the transposition, Arrow Java's cost of N columns).
"""
import glob
import mmap
import os
import statistics
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import FIXTURES, JAVA, measured_process  # noqa: E402

BUFFER = bytearray(16 << 20)


def blocks(path):
    return sorted(glob.glob(os.path.join(path, "__blocks_*"))) if os.path.isdir(path) else [path]


def map_and_touch(path):
    for f in blocks(path):
        with open(f, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            m = mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_READ)
            a = np.frombuffer(m, dtype=np.uint8)
            int(a[::4096].sum())
            del a
            m.close()


def map_populated_and_touch(path):
    """As map_and_touch, the mapping's pages mapped by the kernel in the mmap call (MAP_POPULATE) rather than
    one fault at a time: what a zero-copy reader would pay at best, when it knows it will touch everything."""
    for f in blocks(path):
        with open(f, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            m = mmap.mmap(handle.fileno(), size, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
            a = np.frombuffer(m, dtype=np.uint8)
            int(a[::4096].sum())
            del a
            m.close()


def read_into_used_memory(path):
    view = memoryview(BUFFER)
    for f in blocks(path):
        fd = os.open(f, os.O_RDONLY)
        try:
            os.preadv(fd, [view[:os.fstat(fd).st_size]], 0)
        finally:
            os.close(fd)


def fresh_memory(_):
    m = mmap.mmap(-1, 8 << 20)
    for i in range(0, 8 << 20, 4096):
        m[i] = 1
    m.close()


def median_ms(action, paths):
    times = []
    for p in paths:
        for f in blocks(p) if isinstance(p, str) else []:
            with open(f, "rb") as handle:
                handle.read()
        start = time.perf_counter()
        action(p)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    measured_process()
    cold = os.path.join(sys.argv[1], "cold-relabelled")
    print("# What reading the panel frames costs on this machine, before a reader does anything", "",
          "Written by benchmarks/peers/floors.py; medians; page-cache-warm copies.", "", sep="\n")
    print(f"- 8 MiB of fresh anonymous memory, one write a page: {median_ms(fresh_memory, range(11)):.2f} ms")
    print()
    print("| frame | kind | files | map + touch every page | map populated + touch | pread into used memory |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in FIXTURES:
        for kind, suffix in (("NPZ", ".npz"), ("NPY directory", ".npy"), ("Feather", ".feather")):
            paths = sorted(glob.glob(os.path.join(cold, f"{name}_[1-9]*{suffix}")))
            if paths:
                print(f"| {name} | {kind} | {len(blocks(paths[0]))} | {median_ms(map_and_touch, paths):.2f} ms "
                      f"| {median_ms(map_populated_and_touch, paths):.2f} ms "
                      f"| {median_ms(read_into_used_memory, paths):.2f} ms |")
    print()
    sys.stdout.flush()
    java = subprocess.run(JAVA + ["io.arrownpz.benchmarks.ReadFloors"], check=True, capture_output=True, text=True)
    print("In Java, warm memory, one thread (ReadFloors):", "", sep="\n")
    for line in java.stdout.splitlines():
        print("- " + line)


if __name__ == "__main__":
    main()
