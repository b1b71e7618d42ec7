"""DoGet of the same files from several running Flight servers, taking turns: for comparing two builds of
`arrow-npz serve` (or one against a pyarrow.flight server) in one run on a noisy machine.

Usage: python flight_ab.py NAME=grpc://HOST:PORT[,NAME=...] TICKET[,TICKET...] [--rounds 8] [--warmup 30]
                           [--per-block 5]

Each server is warmed with --warmup gets of every ticket, then for every round and ticket each server in
turn (the order rotating from round to round) makes --per-block gets; the median of a block is one
sample, and the median of the samples is printed, in ms. A server named "pyarrow" is asked for the
ticket's file name with ".feather" in place of ".npz" (the pyarrow.flight server of flight_bench.py,
started with `flight_bench.py --serve-peer DIR`, serves Feather files by name).
"""
import argparse
import os
import statistics
import sys
import time

import pyarrow.flight as fl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flight_bench import stream_rows as get  # noqa: E402  (a get as flight_bench makes it, batch by batch)


def ticket_for(server, ticket):
    if server != "pyarrow":
        return ticket
    return ticket.split("/")[-1].replace(".npz", "") + ".feather"


def main():
    args = argparse.ArgumentParser()
    args.add_argument("servers")
    args.add_argument("tickets")
    args.add_argument("--rounds", type=int, default=8)
    args.add_argument("--warmup", type=int, default=30)
    args.add_argument("--per-block", type=int, default=5)
    a = args.parse_args()
    servers = dict(s.split("=", 1) for s in a.servers.split(","))
    tickets = a.tickets.split(",")
    clients = {name: fl.connect(location) for name, location in servers.items()}
    for ticket in tickets:
        for name, client in clients.items():
            for _ in range(a.warmup):
                get(client, ticket_for(name, ticket))
    samples = {(name, t): [] for name in servers for t in tickets}
    names = list(servers)
    for r in range(a.rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for ticket in tickets:
            for name in order:
                block = []
                for _ in range(a.per_block):
                    start = time.perf_counter()
                    get(clients[name], ticket_for(name, ticket))
                    block.append(time.perf_counter() - start)
                samples[(name, ticket)].append(statistics.median(block))
    for ticket in tickets:
        print(ticket, "  ".join("%s %.2f" % (name, statistics.median(samples[(name, ticket)]) * 1e3)
                                for name in servers))


if __name__ == "__main__":
    main()
