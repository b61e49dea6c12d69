#!/usr/bin/env python3
"""Refused calls on the clock: requests/s of a Validate the server refuses, against a valid Validate in the same process.

A session server refuses calls all day (expired tokens, garbage, an attacker's choice of input), so what a refusal
costs matters as much as what an answer costs. This runs, for ROUNDS rounds and every variant in an order rotated each
round, a fresh server as table.py starts it (pinned to CPU 0, h2load on CPU 1, the same builds: VARIANTS and BASELINE
as there), then in that process: WARMUP_N refused and WARMUP_N valid Validate calls, N refused ones measured, N
valid ones measured. The refused call is a Validate of a malformed token (`not.a.token`): grpc-status 3 checked with
curl before and after (h2load counts HTTP 200 as success whatever the grpc-status); the floor, which validates
nothing, answers it with its constant reply, so its row is a framework call either way.

Writes benchmarks/results/<date>-load-refused.md: medians over the rounds of refused and valid requests/s, and the
median of the per-round ratio refused / valid of each variant (the figure that does not depend on the machine's speed
that day).

Usage:  benchmarks/load/refused.py
Environment: as table.py (ROUNDS 3, N 100000, WARMUP_N 20000, C, M, VARIANTS (default floor,aot), SKIP_BUILD=1,
MAX_MINUTES, PORT, BASELINE, OUTPUT).
"""

import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

os.environ.setdefault("VARIANTS", "floor,aot")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import table  # noqa: E402  (its builds, server start, h2load runner and status checks)

MALFORMED_TOKEN = "not.a.token"


def check_refused(body, expected, when, headers):
    for _ in range(5):
        status = table.grpc_status(table.PORT, "Validate", body, headers)
        if status != expected:
            raise RuntimeError(f"refused Validate {when}: grpc-status {status}, expected {expected}")


def run_variant(variant, work):
    refused = os.path.join(work, "refused.bin")
    with open(refused, "wb") as f:
        f.write(table.grpc_frame(MALFORMED_TOKEN))
    expected = "0" if variant.name == "floor" else "3"
    with table.started_server(variant, work) as (_, bodies, _, _):
        check_refused(refused, expected, "before the load", variant.headers)
        table.h2load(table.PORT, "Validate", refused, table.WARMUP_N, headers=variant.headers)
        table.h2load(table.PORT, "Validate", bodies["Validate"], table.WARMUP_N, headers=variant.headers)
        result = {
            "refused": table.h2load(table.PORT, "Validate", refused, table.N, os.path.join(work, f"{variant.name}-refused.h2log"), variant.headers),
            "valid": table.h2load(table.PORT, "Validate", bodies["Validate"], table.N, os.path.join(work, f"{variant.name}-valid.h2log"), variant.headers),
        }
        check_refused(refused, expected, "after the load", variant.headers)
    return result


def main():
    selected = table.variants()
    table.need_tools()
    if os.environ.get("SKIP_BUILD") != "1":
        print("== building", flush=True)
        table.build(selected)
    results = {v.name: [] for v in selected}
    work = tempfile.mkdtemp(prefix="sessions-refused-")
    try:
        for r in range(table.ROUNDS):
            order = selected[r % len(selected):] + selected[:r % len(selected)]
            for v in order:
                print(f"== round {r + 1}/{table.ROUNDS}: {v.name}", flush=True)
                result = run_variant(v, work)
                results[v.name].append(result)
                print(f"   refused Validate {result['refused'][0]:,.0f} req/s (p99 {result['refused'][1]:.2f} ms); "
                      f"valid {result['valid'][0]:,.0f} req/s (p99 {result['valid'][1]:.2f} ms)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(selected, results)


def write(selected, results):
    today = datetime.date.today().isoformat()
    output = os.environ.get("OUTPUT") or os.path.join(table.ROOT, "benchmarks", "results", f"{today}-load-refused.md")
    commit = subprocess.run(["git", "-C", table.ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    med = statistics.median
    lines = [
        f"# Refused calls on the clock, {today}", "",
        f"**Machine: {table.machine()}; main at {commit}.**", "",
        "```sh", f"VARIANTS={os.environ['VARIANTS']}{' BASELINE=' + table.BASELINE if table.BASELINE else ''} benchmarks/load/refused.py", "```", "",
        f"{table.ROUNDS} rounds; per run a fresh server pinned to CPU 0, h2load on CPU 1 (`-c {table.C} -m {table.M}`), "
        f"{table.WARMUP_N:,} warm-up calls of each kind, then {table.N:,} refused `Validate` calls (a malformed token, "
        "grpc-status 3 checked with curl before and after; the floor answers it with its constant reply) and "
        f"{table.N:,} valid ones, in the same process. Medians over the rounds; the ratio is the median of the "
        "per-round ratios.", "",
        "| server (one core) | refused Validate/s | valid Validate/s | refused / valid | p99 refused | p99 valid |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for v in selected:
        runs = results[v.name]
        lines.append(f"| {v.label} | {med(x['refused'][0] for x in runs):,.0f} | {med(x['valid'][0] for x in runs):,.0f} | "
                     f"{med(x['refused'][0] / x['valid'][0] for x in runs):.2f} | {med(x['refused'][1] for x in runs):.1f} ms | "
                     f"{med(x['valid'][1] for x in runs):.1f} ms |")
    lines += ["", "Each round (refused / valid req/s):", ""]
    for v in selected:
        lines.append(f"- {v.name}: " + "; ".join(f"{x['refused'][0]:,.0f} / {x['valid'][0]:,.0f}" for x in results[v.name]))
    lines.append("")
    table.write_report(output, lines)


if __name__ == "__main__":
    main()
