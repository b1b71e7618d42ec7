"""DoGet and DoPut throughput: arrow-npz serve against a pyarrow.flight server, same data, same client.

Usage: python flight_bench.py ARROW_NPZ_LAUNCHER WORKDIR [--gib 1.0] [--runs 5]

Writes a uniform float64 frame of about --gib GiB as a StaticFrame NPZ (served by arrow-npz, mapped) and as
an uncompressed Feather file (served by a pyarrow.flight server that memory-maps it, the peer's fastest
way). A pyarrow.flight client reads each with do_get().read_all(), the two servers alternating, and puts
the same table to each (arrow-npz writes .feather, the peer writes Feather). Prints medians and the
ratio ours/peer as JSON and Markdown.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.flight as fl


class MappedFeatherServer(fl.FlightServerBase):
    """The peer: serves Feather files under a directory, memory-mapped; writes uploads as Feather."""

    def __init__(self, root, location):
        super().__init__(location)
        self.root = root

    def do_get(self, context, ticket):
        table = feather.read_table(os.path.join(self.root, ticket.ticket.decode()), memory_map=True)
        return fl.RecordBatchStream(table)

    def do_put(self, context, descriptor, reader, writer):
        table = reader.read_all()
        feather.write_feather(table, os.path.join(self.root, descriptor.path[0].decode()),
                              compression="uncompressed")


def main():
    args = argparse.ArgumentParser()
    args.add_argument("launcher")
    args.add_argument("workdir")
    args.add_argument("--gib", type=float, default=1.0)
    args.add_argument("--runs", type=int, default=5)
    a = args.parse_args()
    ours_dir = os.path.join(a.workdir, "ours")
    peer_dir = os.path.join(a.workdir, "peer")
    os.makedirs(ours_dir, exist_ok=True)
    os.makedirs(peer_dir, exist_ok=True)
    columns = 16
    rows = int(a.gib * (1 << 30) / 8 / columns)
    import static_frame as sf
    data = np.random.default_rng(7).random((rows, columns))
    frame = sf.Frame(data, columns=["c%d" % i for i in range(columns)])
    frame.to_npz(os.path.join(ours_dir, "uniform.npz"))
    table = pa.table({"c%d" % i: data[:, i] for i in range(columns)})
    feather.write_feather(table, os.path.join(peer_dir, "uniform.feather"), compression="uncompressed")
    del data, frame

    peer = MappedFeatherServer(peer_dir, "grpc://127.0.0.1:0")
    threading.Thread(target=peer.serve, daemon=True).start()
    ours = subprocess.Popen([a.launcher, "serve", ours_dir, "--port", "0", "--batch-rows", "65536"],
                            stdout=subprocess.PIPE, text=True)
    line = ours.stdout.readline()
    while line and not line.startswith("serving "):  # a JVM may print first (a recording started, say)
        line = ours.stdout.readline()
    ours_at = re.search(r"at (grpc://\S+)", line).group(1)
    clients = {"arrow-npz": fl.connect(ours_at), "pyarrow": fl.connect("grpc://127.0.0.1:%d" % peer.port)}
    tickets = {"arrow-npz": fl.Ticket(b"uniform.npz"), "pyarrow": fl.Ticket(b"uniform.feather")}
    size = table.nbytes
    gets = {k: [] for k in clients}
    puts = {k: [] for k in clients}
    try:
        for run in range(a.runs + 1):  # the first run warms both up and is not counted
            order = list(clients) if run % 2 == 0 else list(reversed(clients))
            for who in order:
                start = time.perf_counter()
                got = clients[who].do_get(tickets[who]).read_all()
                elapsed = time.perf_counter() - start
                assert got.num_rows == rows
                if run:
                    gets[who].append(elapsed)
                del got
            for who in order:
                name = "put-%d.feather" % run
                start = time.perf_counter()
                writer, _ = clients[who].do_put(fl.FlightDescriptor.for_path(name), table.schema)
                writer.write_table(table, max_chunksize=65536)
                writer.close()
                elapsed = time.perf_counter() - start
                if run:
                    puts[who].append(elapsed)
                os.remove(os.path.join(ours_dir if who == "arrow-npz" else peer_dir, name))
    finally:
        ours.terminate()
        ours.wait(60)
        peer.shutdown()
    result = {"bytes": size, "rows": rows, "columns": columns, "runs": a.runs}
    for kind, times in (("get", gets), ("put", puts)):
        for who, t in times.items():
            result["%s_%s_s" % (kind, who)] = statistics.median(t)
            result["%s_%s_gib_s" % (kind, who)] = size / (1 << 30) / statistics.median(t)
        result["%s_ours_vs_peer_throughput" % kind] = (result["%s_pyarrow_s" % kind] / result["%s_arrow-npz_s" % kind])
    print(json.dumps(result, indent=1))
    print()
    print("| %.2f GiB uniform frame, median of %d | arrow-npz | pyarrow.flight (mapped Feather) | ours / peer throughput |"
          % (size / (1 << 30), a.runs))
    print("| --- | --- | --- | --- |")
    for kind in ("get", "put"):
        print("| Do%s | %.2f GiB/s | %.2f GiB/s | %.2f |" % (kind.capitalize(), result["%s_arrow-npz_gib_s" % kind],
              result["%s_pyarrow_gib_s" % kind], result["%s_ours_vs_peer_throughput" % kind]))


if __name__ == "__main__":
    sys.exit(main())
