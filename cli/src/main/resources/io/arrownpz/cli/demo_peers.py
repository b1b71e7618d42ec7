"""demo's peers: StaticFrame and pyarrow reading the files demo just wrote, timed here, one line a read.

In: "staticframe PATH" (Frame.from_npz, every numeric block summed) or "pyarrow PATH" (feather.read_table with
memory_map=True, every column summed). Out: the milliseconds the read took, or "error MESSAGE".
The first line out says which versions are read with: "ready STATICFRAME PYARROW".
"""
import sys
import time

import numpy as np
import pyarrow
import pyarrow.compute as pc
import pyarrow.feather as feather
import static_frame as sf


def touch_memory(mib):
    """Touches memory this process then keeps (it runs with glibc told not to give freed memory back), so that
    no timed read pays a virtual machine's first touch of fresh pages."""
    pieces = []
    for _ in range(mib // 16):
        piece = np.empty(16 << 20, dtype=np.uint8)
        piece[::4096] = 1
        pieces.append(piece)
    del pieces


def staticframe(path):
    total = 0.0
    for block in sf.Frame.from_npz(path)._blocks._blocks:
        if block.dtype.kind in "iufcb":
            total += float(block.sum())
    return total


def pyarrow_feather(path):
    total = 0.0
    for column in feather.read_table(path, memory_map=True).columns:
        if pyarrow.types.is_string(column.type) or pyarrow.types.is_large_string(column.type):
            column = pc.binary_length(column)
        s = pc.sum(column).as_py()
        total += 0 if s is None else float(s)
    return total


READS = {"staticframe": staticframe, "pyarrow": pyarrow_feather}


def main():
    touch_memory(int(sys.argv[1]) if len(sys.argv) > 1 else 1024)
    print("ready", sf.__version__, pyarrow.__version__, flush=True)
    for line in sys.stdin:
        peer, path = line.rstrip("\n").split(" ", 1)
        try:
            start = time.perf_counter()
            READS[peer](path)
            print((time.perf_counter() - start) * 1000, flush=True)
        except Exception as e:  # a peer that cannot read a file is reported, and the demo goes on
            print("error", str(e).replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
