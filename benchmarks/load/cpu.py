#!/usr/bin/env python3
"""Server CPU time per call, for each build of table.py: a figure that holds on a shared machine.

Throughput on a shared 2-core machine moves with whatever else runs there; the CPU time the server process itself
spends per call moves much less. For every variant of table.py (same names, same builds in benchmarks/load/out/,
same start-up, pinning and warm-up), in ROUNDS rounds in a rotated order: a fresh server process, WARMUP_N calls per
method, then N calls per method with h2load, and the server's user + system time over those N calls read from
/proc/<pid>/stat (every thread: request handling, the JIT's background compiler, the GC, the log writer). Every run
checks grpc-status 0 before and after, as table.py does. Prints medians and ratios to the floor of the same round.

Usage:  benchmarks/load/cpu.py        (after table.py has built the variants, or with its builds: BUILD=1)
Environment: VARIANTS (default floor,aot,aot-apikey,jit,jit-runtime-default), ROUNDS (3), N (100000), WARMUP_N
(20000), BUILD=1 to build first.
"""

import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("VARIANTS", "floor,aot,aot-apikey,jit,jit-runtime-default")
import table  # noqa: E402  (reads VARIANTS, N, WARMUP_N, ROUNDS, PORT from the environment as well)

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def run(variant, work):
    with table.started_server(variant, work) as (server, bodies, _, _):
        result = {}
        for method, body in bodies.items():
            table.h2load(table.PORT, method, body, table.WARMUP_N, headers=variant.headers)
            before = cpu_seconds(server.pid)  # taskset execs the server: the launched process is the server
            table.h2load(table.PORT, method, body, table.N, headers=variant.headers)
            result[method] = (cpu_seconds(server.pid) - before) / table.N * 1e6
        return result


def main():
    selected = table.variants()
    table.need_tools()
    if os.environ.get("BUILD") == "1":
        table.build(selected)
    results = {v.name: [] for v in selected}
    work = tempfile.mkdtemp(prefix="sessions-cpu-")
    load_before = os.getloadavg()[0]
    try:
        for r in range(table.ROUNDS):
            for v in selected[r % len(selected):] + selected[:r % len(selected)]:
                res = run(v, work)
                results[v.name].append((r, res))
                print(f"== round {r + 1}: {v.name}: Create {res['Create']:.1f} µs, Validate {res['Validate']:.1f} µs of server CPU per call", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    floor = {r: res for r, res in results.get("floor", [])}
    print(f"\nServer CPU per call (µs), median of {table.ROUNDS} rounds, {table.N:,} calls per method after "
          f"{table.WARMUP_N:,} warm-up, load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after:\n")
    print("| variant | Create | × floor | Validate | × floor |")
    print("|---|---:|---:|---:|---:|")
    for v in selected:
        row = [v.name]
        for method in ("Create", "Validate"):
            row.append(f"{statistics.median(res[method] for _, res in results[v.name]):.1f}")
            ratios = [res[method] / floor[r][method] for r, res in results[v.name] if r in floor]
            row.append(f"{statistics.median(ratios):.2f}" if ratios else "")
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
