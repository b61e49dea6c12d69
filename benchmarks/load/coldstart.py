#!/usr/bin/env python3
"""Time from process start to the first answered Create, for the builds of table.py, many starts each.

The load table starts every variant once per round, after the previous variant's load; a start-up change is easier to
see with many starts in a row. For every variant of table.py (same names, same builds in benchmarks/load/out/, same
settings, pinned to CPU 0), in ROUNDS rounds in a rotated order: a fresh process, the time until a minimal HTTP/2
client (table.first_create, polling every 2 ms) has the reply to its first Create, then SIGTERM. Prints the median,
the lowest and the highest per variant, and every start.

Usage:  benchmarks/load/coldstart.py        (after table.py has built the variants, or with its builds: BUILD=1)
Environment: VARIANTS (default floor,aot), ROUNDS (9), BUILD=1 to build first.
"""

import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("VARIANTS", "floor,aot")
import table  # noqa: E402  (reads VARIANTS and PORT from the environment as well)

ROUNDS = int(os.environ.get("ROUNDS", "9"))


def start_once(variant):
    env = table.server_environment(table.PORT, variant.env)
    started = time.monotonic()
    server = subprocess.Popen(["taskset", "-c", "0"] + variant.command, cwd=variant.folder, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        table.first_create(table.PORT, table.grpc_frame(table.USER_ID), started + table.STARTUP_TIMEOUT, variant.headers, server)
        return (time.monotonic() - started) * 1000
    finally:
        table.stop(server, 30)
        time.sleep(0.3)   # the port and the page cache settle before the next start


def main():
    selected = table.variants()
    if os.environ.get("BUILD") == "1":
        table.build(selected)
    starts = {v.name: [] for v in selected}
    for r in range(ROUNDS):
        for v in selected[r % len(selected):] + selected[:r % len(selected)]:
            starts[v.name].append(start_once(v))
    print(f"\nFirst answered Create after a fresh start (ms), {ROUNDS} starts per variant in a rotated order, "
          f"load average {os.getloadavg()[0]:.1f}:\n")
    print("| variant | median | lowest | highest | every start |")
    print("|---|---:|---:|---:|---|")
    for v in selected:
        ms = starts[v.name]
        print(f"| {v.name} | {statistics.median(ms):.0f} | {min(ms):.0f} | {max(ms):.0f} | {' '.join(f'{m:.0f}' for m in ms)} |")


if __name__ == "__main__":
    main()
