"""pyarrow's LZ4 and ZSTD Feather write and read times on the panel files WritePanel makes.

    java --add-opens=java.base/java.nio=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
        io.arrownpz.benchmarks.WritePanel /tmp/panel
    python3 benchmarks/pyarrow_codecs.py /tmp/panel

Prints, per file and codec, the median of 5 runs (after one warm-up) in milliseconds, and the size.
"""
import os
import statistics
import sys
import tempfile
import time

import pyarrow.feather as feather


def median_ms(action, runs=5):
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(directory):
    out = tempfile.mkdtemp()
    print("fixture,codec,write_ms,read_ms,bytes")
    for name in sorted(os.listdir(directory)):
        table = feather.read_table(os.path.join(directory, name))
        for codec in ("lz4", "zstd"):
            target = os.path.join(out, name + "." + codec)
            write = median_ms(lambda: feather.write_feather(table, target, compression=codec))
            # Read to a table whose buffers are all decompressed (pyarrow decompresses eagerly).
            read = median_ms(lambda: feather.read_table(target, memory_map=False))
            print(f"{name[:-8]},{codec},{write:.1f},{read:.1f},{os.path.getsize(target)}")


if __name__ == "__main__":
    main(sys.argv[1])
