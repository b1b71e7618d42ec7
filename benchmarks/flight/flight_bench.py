"""DoGet and DoPut throughput: arrow-npz serve against a pyarrow.flight server, same data, same client, one run.

Usage: python flight_bench.py ARROW_NPZ_LAUNCHER WORKDIR [--gib 1.0] [--runs 5] [--warmup 10] [--warmup-seconds 10] [--warmup-max 200]
                              [--panel-values 1e6]
                              [--only uniform_1g,...] [--json OUT]

Fixtures, each written once by the peers:
- uniform_1g: a uniform float64 frame of about --gib GiB (16 columns), as StaticFrame writes it (one
  C-order block, which arrow-npz turns into columns on every get);
- the nine panel frames of StaticFrame's NPZ article (tall/square/wide x uniform/mixed/columnar, about
  --panel-values values each, an int64 index), as StaticFrame's Frame.to_npz writes them.

arrow-npz serves the StaticFrame files; the peer, a pyarrow.flight server, serves the same table as an
uncompressed Feather file that it memory-maps (its fastest way), as StaticFrame's to_arrow makes it (no
schema metadata). The peer also serves the table exactly as arrow-npz serves it, metadata and all, written
by pyarrow (row "pyarrow, our schema": both servers then send the client the same bytes). arrow-npz also
serves StaticFrame's Feather file (row "feather via arrow-npz"), which separates what our format costs from
what the protocol costs.

In the same run, raw loopback TCP bandwidth is measured: one process sends the 1 GiB fixture's byte count
from memory, another receives it into a buffer (the ceiling any Flight server on this machine works under).

Every get is a pyarrow.flight client reading the stream batch by batch (each batch received, counted and
dropped, as a consumer that processes batches would; rows and columns checked), every put a do_put of the
same table; all gets are measured before any put (uploads fill the page cache),
contenders in rotating order in every run, after uncounted warm-up runs (at least --warmup of them, for
--warmup-seconds at least, and until a whole round compiles no more than a few methods in our server: its
JIT settled); medians. Prints JSON and Markdown.
"""
import argparse
import json
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.flight as fl

SHAPES = ("tall", "square", "wide")
MIXES = ("uniform", "mixed", "columnar")


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


def panel_frame(sf, shape, mix, values, rng):
    """A panel frame as in StaticFrame's NPZ article: an int64 index, columns cycling through the mix."""
    side = max(1, round(values ** 0.5))
    narrow = max(1, round((values / 100) ** 0.5))
    long_ = max(1, round(values / narrow))
    rows, cols = {"tall": (long_, narrow), "square": (side, side), "wide": (narrow, long_)}[shape]
    cycle = {"uniform": "f", "mixed": "iibff", "columnar": "ibf"}[mix]
    labels = ["z%05d" % c for c in range(cols)]
    index = sf.Index(np.arange(rows, dtype=np.int64), name="index")
    if mix == "uniform":
        return sf.Frame(rng.random((rows, cols)), index=index, columns=labels)
    kinds = [cycle[c % len(cycle)] for c in range(cols)]
    blocks = []
    for kind in kinds:
        if kind == "i":
            blocks.append(rng.integers(-(1 << 62), 1 << 62, rows, dtype=np.int64))
        elif kind == "b":
            blocks.append(rng.random(rows) < 0.5)
        else:
            blocks.append(rng.random(rows))
    if mix == "mixed":  # consolidated: like kinds in 2-d blocks, as StaticFrame keeps a frame built by blocks
        return sf.Frame.from_fields(blocks, index=index, columns=labels, consolidate_blocks=True)
    return sf.Frame.from_fields(blocks, index=index, columns=labels)


def write_fixtures(args, ours_dir, peer_dir):
    """Writes every fixture: StaticFrame NPZ for arrow-npz, mapped-Feather for the peer. Returns their tables."""
    import static_frame as sf
    rng = np.random.default_rng(7)
    fixtures = {}
    wanted = set(args.only.split(",")) if args.only else None

    def add(name, frame, with_index=True):
        frame.to_npz(os.path.join(ours_dir, name + ".npz"))
        table = frame.to_arrow(include_index=with_index, include_columns=False)
        feather.write_feather(table, os.path.join(peer_dir, name + ".feather"), compression="uncompressed")
        fixtures[name] = (table.num_rows, table.num_columns, table.nbytes)

    if not wanted or "uniform_1g" in wanted:
        rows = int(args.gib * (1 << 30) / 8 / 16)
        add("uniform_1g", sf.Frame(rng.random((rows, 16)), columns=["c%d" % i for i in range(16)]),
            with_index=False)
    for shape in SHAPES:
        for mix in MIXES:
            name = "%s_%s" % (shape, mix)
            if not wanted or name in wanted:
                add(name, panel_frame(sf, shape, mix, args.panel_values, rng))
    return fixtures


def tcp_receiver(port_queue, total):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port_queue.put(listener.getsockname()[1])
        conn, _ = listener.accept()
        with conn:
            buffer = bytearray(4 << 20)
            view = memoryview(buffer)
            got = 0
            while got < total:
                n = conn.recv_into(view)
                if not n:
                    break
                got += n
            conn.sendall(b"k")


def tcp_seconds(total):
    """Seconds to move {total} bytes over loopback TCP from memory to memory, sender and receiver in two processes."""
    ports = multiprocessing.Queue()
    receiver = multiprocessing.Process(target=tcp_receiver, args=(ports, total))
    receiver.start()
    port = ports.get()
    chunk = memoryview(bytearray(os.urandom(1 << 20) * 4))
    with socket.create_connection(("127.0.0.1", port)) as conn:
        start = time.perf_counter()
        sent = 0
        while sent < total:
            n = min(len(chunk), total - sent)
            conn.sendall(chunk[:n])
            sent += n
        conn.recv(1)
        elapsed = time.perf_counter() - start
    receiver.join()
    return elapsed


def compiled_methods(pid):
    """Methods the JVM of {pid} has compiled so far (jstat), or None where jstat cannot tell."""
    try:
        out = subprocess.run(["jstat", "-compiler", str(pid)], capture_output=True, text=True, timeout=30).stdout
        return int(out.split("\n")[1].split()[0])
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None


class Warmup:
    """Uncounted rounds: at least --warmup, for --warmup-seconds at least, and until our server's JIT has
    settled (a round compiles at most SETTLED methods) or --warmup-max rounds have run. A 1 GiB get takes half a
    second, so ten of them ran out the minimums while C2 was still compiling: half the server's CPU in
    the first gets measured (perf), shared with the client on two cores."""
    SETTLED = 3

    def __init__(self, a, server_pid):
        self.a, self.pid = a, server_pid
        self.until = time.perf_counter() + a.warmup_seconds
        self.rounds = 0
        self.compiled = compiled_methods(server_pid)

    def more(self):
        if self.rounds < self.a.warmup or time.perf_counter() < self.until:
            return True
        if self.rounds >= self.a.warmup_max:
            return False
        now = compiled_methods(self.pid)
        settled = now is None or self.compiled is None or now - self.compiled <= self.SETTLED
        self.compiled = now
        return not settled


def stream_rows(client, ticket):
    """Reads a DoGet stream batch by batch, as a consumer that processes and drops each batch; returns (rows, columns)."""
    reader = client.do_get(fl.Ticket(ticket.encode()))
    rows = 0
    for chunk in reader:
        rows += chunk.data.num_rows
    return rows, len(reader.schema)


def measure_gets(a, name, fixture, ours_client, peer_client, peer_dir, server_pid):
    rows, columns, size = fixture
    # The table as arrow-npz serves it, schema metadata and all (NumPy dtypes, the frame's labels, pandas'
    # metadata: 2.4 MB of schema at 10,000 columns, where StaticFrame's to_arrow writes none), written by
    # pyarrow for its server: what each server costs when both send the client the same bytes.
    served = ours_client.do_get(fl.Ticket(("ours/%s.npz" % name).encode())).read_all()
    feather.write_feather(served, os.path.join(peer_dir, name + ".schema.feather"), compression="uncompressed")
    del served
    contenders = {
        "arrow-npz": lambda: stream_rows(ours_client, "ours/%s.npz" % name),
        "pyarrow": lambda: stream_rows(peer_client, "%s.feather" % name),
        "feather via arrow-npz": lambda: stream_rows(ours_client, "peer/%s.feather" % name),
        "pyarrow, our schema": lambda: stream_rows(peer_client, "%s.schema.feather" % name),
    }
    gets = {k: [] for k in contenders}
    tcp = []

    def checked(who):
        """One get by {who}, its rows and columns checked; the seconds it took."""
        start = time.perf_counter()
        got = contenders[who]()
        elapsed = time.perf_counter() - start
        if got != (rows, columns):
            raise SystemExit("%s from %s: %s rows x columns, expected %d x %d" % (name, who, got, rows, columns))
        return elapsed

    # Warm-up runs are not counted: at least --warmup of them, and for --warmup-seconds at least. A Java
    # server compiles a get's code only after thousands of calls (C2 was still compiling after 2,000 gets of
    # a 1,000-column frame), and its compiler shares the machine's two cores with the client meanwhile;
    # 30 gets of a small frame take half a second. Steady state is what a long-running server serves at.
    warmup = Warmup(a, server_pid)
    while warmup.more():
        for who in contenders:
            checked(who)
        warmup.rounds += 1
    warmups = warmup.rounds
    for run in range(a.runs):
        order = list(contenders)
        order = order[run % len(order):] + order[:run % len(order)]
        for who in order:
            gets[who].append(checked(who))
        if name == "uniform_1g":
            tcp.append(tcp_seconds(size))
    r = {"get_s " + who: statistics.median(t) for who, t in gets.items()}
    r["warmup_gets"] = warmups
    if tcp:
        r["tcp_s"] = statistics.median(tcp)
    return r


def measure_puts(a, name, peer_dir, ours_dir, ours_client, peer_client, server_pid):
    table = feather.read_table(os.path.join(peer_dir, name + ".feather"))
    puts = {"arrow-npz": [], "pyarrow": []}

    def put(who, run):
        upload = "put-%s-%d.feather" % (name, run)
        client = ours_client if who == "arrow-npz" else peer_client
        path = ("ours", upload) if who == "arrow-npz" else (upload,)
        start = time.perf_counter()
        writer, _ = client.do_put(fl.FlightDescriptor.for_path(*path), table.schema)
        writer.write_table(table, max_chunksize=a.batch_rows)
        writer.close()
        elapsed = time.perf_counter() - start
        os.remove(os.path.join(ours_dir if who == "arrow-npz" else peer_dir, upload))
        return elapsed

    # Warm-up as for gets: at least --warmup uploads each, for --warmup-seconds at least. Ten puts left
    # the server's receiving code uncompiled: a tall frame's upload measured 9.6 ms after ten, 3.8 ms
    # once warm (pyarrow.flight's: 4.1 ms; it has no compiler to wait for).
    warmup = Warmup(a, server_pid)
    while warmup.more():
        for who in ("arrow-npz", "pyarrow"):
            put(who, warmup.rounds)
        warmup.rounds += 1
    warmups = warmup.rounds
    for run in range(a.runs):
        for who in (("arrow-npz", "pyarrow") if run % 2 == 0 else ("pyarrow", "arrow-npz")):
            puts[who].append(put(who, run))
    r = {"put_s " + who: statistics.median(t) for who, t in puts.items()}
    r["warmup_puts"] = warmups
    return r


def start_peer(directory):
    """The peer's server in a process of its own, as ours is, so that neither shares the client's process."""
    peer = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve-peer", directory],
                            stdout=subprocess.PIPE, text=True)
    return peer, int(peer.stdout.readline())


def serve_peer(directory):
    server = MappedFeatherServer(directory, "grpc://127.0.0.1:0")
    print(server.port, flush=True)
    server.serve()


def start_ours(launcher, directory, batch_rows):
    ours = subprocess.Popen([launcher, "serve", directory, "--port", "0", "--batch-rows", str(batch_rows)],
                            stdout=subprocess.PIPE, text=True)
    line = ours.stdout.readline()
    while line and not line.startswith("serving "):  # a JVM may print first (a recording started, say)
        line = ours.stdout.readline()
    return ours, re.search(r"at (grpc://\S+)", line).group(1)


def main():
    args = argparse.ArgumentParser()
    args.add_argument("launcher")
    args.add_argument("workdir")
    args.add_argument("--gib", type=float, default=1.0)
    args.add_argument("--runs", type=int, default=5)
    args.add_argument("--warmup", type=int, default=10)
    args.add_argument("--warmup-seconds", type=float, default=10.0)
    args.add_argument("--warmup-max", type=int, default=200)
    args.add_argument("--panel-values", type=float, default=1e6)
    args.add_argument("--batch-rows", type=int, default=65536)
    args.add_argument("--only", default="")
    args.add_argument("--no-put", action="store_true")
    args.add_argument("--json")
    a = args.parse_args()
    ours_dir = os.path.join(a.workdir, "ours")
    peer_dir = os.path.join(a.workdir, "peer")
    os.makedirs(ours_dir, exist_ok=True)
    os.makedirs(peer_dir, exist_ok=True)
    fixtures = write_fixtures(a, ours_dir, peer_dir)
    os.sync()  # the fixtures' write-back is not measured with the first contender

    peer, peer_port = start_peer(peer_dir)
    ours, ours_at = start_ours(a.launcher, a.workdir, a.batch_rows)
    ours_client = fl.connect(ours_at)
    peer_client = fl.connect("grpc://127.0.0.1:%d" % peer_port)
    results = {name: {"rows": rows, "columns": columns, "bytes": size} for name, (rows, columns, size) in fixtures.items()}
    try:
        for name in fixtures:  # gets first, for every fixture: uploads would fill the page cache under them
            results[name].update(measure_gets(a, name, fixtures[name], ours_client, peer_client, peer_dir, ours.pid))
            print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
        if not a.no_put:
            for name in fixtures:
                results[name].update(measure_puts(a, name, peer_dir, ours_dir, ours_client, peer_client, ours.pid))
                print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
    finally:
        ours.terminate()
        ours.wait(60)
        peer.terminate()
        peer.wait(60)
    report = {"runs": a.runs, "batch_rows": a.batch_rows, "fixtures": results}
    if a.json:
        with open(a.json, "w") as out:
            json.dump(report, out, indent=1)
    print(json.dumps(report, indent=1))
    print_markdown(report)


def gib_s(size, seconds):
    return size / (1 << 30) / seconds


def print_markdown(report):
    print()
    print("DoGet, median of %d runs (%d rows a batch); throughput in GiB/s, and ours / peer (above 1: ours faster)"
          % (report["runs"], report["batch_rows"]))
    print()
    print("| fixture | size | arrow-npz (StaticFrame NPZ) | pyarrow.flight (mapped Feather) | ours / peer "
          "| pyarrow.flight, our schema | ours / it | arrow-npz serving the Feather | raw loopback TCP | ours / TCP |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, r in report["fixtures"].items():
        size = r["bytes"]
        ours, peer, feather_ = r["get_s arrow-npz"], r["get_s pyarrow"], r["get_s feather via arrow-npz"]
        same = r.get("get_s pyarrow, our schema")
        tcp = r.get("tcp_s")
        print("| %s | %.1f MiB | %.2f (%.1f ms) | %.2f (%.1f ms) | %.2f | %s | %s | %.2f | %s | %s |" % (
            name, size / (1 << 20), gib_s(size, ours), ours * 1e3, gib_s(size, peer), peer * 1e3, peer / ours,
            "%.2f (%.1f ms)" % (gib_s(size, same), same * 1e3) if same else "", "%.2f" % (same / ours) if same else "",
            gib_s(size, feather_), "%.2f" % gib_s(size, tcp) if tcp else "", "%.2f" % (tcp / ours) if tcp else ""))
    if any("put_s arrow-npz" in r for r in report["fixtures"].values()):
        print()
        print("DoPut of the same table (arrow-npz writes .feather, the peer writes Feather)")
        print()
        print("| fixture | arrow-npz | pyarrow.flight | ours / peer |")
        print("| --- | --- | --- | --- |")
        for name, r in report["fixtures"].items():
            ours, peer = r["put_s arrow-npz"], r["put_s pyarrow"]
            print("| %s | %.2f GiB/s (%.1f ms) | %.2f GiB/s (%.1f ms) | %.2f |" % (
                name, gib_s(r["bytes"], ours), ours * 1e3, gib_s(r["bytes"], peer), peer * 1e3, peer / ours))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve-peer"]:
        sys.exit(serve_peer(sys.argv[2]))
    sys.exit(main())
