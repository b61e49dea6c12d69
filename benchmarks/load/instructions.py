#!/usr/bin/env python3
"""Instructions per call of the sample server against the framework floor, counted by callgrind.

Requests per second on a shared machine move by up to 2x between runs of the same binary; instructions do not.
This counts, with valgrind's callgrind, the instructions the server process executes (every thread: Kestrel, the
service, the log writer, the GC) while it answers N calls of one method, after a warm-up, and divides by N. The
count is the same from run to run within about a percent, whatever else the machine is doing, so a change to the
server shows up here even when the load table cannot see it. It is a proxy for CPU time, not a replacement: it
does not see cache misses or the cost of a system call beyond its instructions, and under valgrind OpenSSL takes
its AVX2 SHA-256 code (valgrind does not offer the SHA extensions), so the HMAC costs more instructions here than on
the CPU itself.

Builds (unless SKIP_BUILD=1) into benchmarks/load/out/:
  cg-aot/    the sample server, Native AOT, as publish-aot.sh builds it but with its symbol table kept
  cg-floor/  benchmarks/load/Floor, the same way
  cg-template/  the server `dotnet new sessions-server` makes (from this checkout's packages), the same way
                (variants template-aot and template-aot-warning; VARIANTS=floor,template-aot,template-aot-warning)
(valgrind 3.19 cannot read the DWARF 5 debug data .NET 10 writes, so that is stripped and the symbol table kept:
function names, no lines.)

For each method and variant: a fresh server under `valgrind --tool=callgrind --instr-atstart=no`, pinned to CPU 0
as in the load table (so the runtime sees one CPU), the first Create, WARMUP calls with h2load (-c 16 -m 16, on CPU
1), then instrumentation on, N calls, instrumentation off, a dump. Writes
benchmarks/results/<date>-instructions.md: instructions per call, the ratio floor / sample (what the load table's
"x floor" would be if every instruction cost the same), and the functions where the two differ most.

Usage:  benchmarks/load/instructions.py
Environment: VARIANTS (floor,aot,aot-apikey), METHODS (Create,Validate; also Refused: Validate of a malformed token,
which every variant but the floor refuses with grpc-status 3), N (20000), WARMUP (4000), SKIP_BUILD=1, PORT (39171), OUTPUT (the
results file), TOP (25).
Then, once per binary, a server under callgrind from its first instruction to its first answered Create: the start-up's
instructions in all and the parts that weigh most (STARTUP_PARTS).
"""

import collections
import datetime
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import table  # noqa: E402  (the load table's request bodies, h2load runner and first-Create probe)

N = int(os.environ.get("N", "20000"))
WARMUP = int(os.environ.get("WARMUP", "4000"))
PORT = int(os.environ.get("PORT", "39171"))
TOP = int(os.environ.get("TOP", "25"))
STARTUP_TIMEOUT = 300   # the runtime starts 20-50x slower under valgrind
H2LOAD_TIMEOUT = 900

# The project of the variants that build the server `dotnet new sessions-server` makes: made afresh by the build.
TEMPLATE = "dotnet new sessions-server"

ALL_VARIANTS = [
    # name, label, folder, binary, project, environment, request headers
    ("floor", "framework floor (constant replies, Native AOT)", os.path.join(table.OUT, "cg-floor"), "Sessions.LoadFloor",
     table.FLOOR, {}, ()),
    ("aot", "sample server, Native AOT, default logging", os.path.join(table.OUT, "cg-aot"), "Sessions.SampleServer",
     table.SAMPLE, {}, ()),
    ("aot-apikey", "sample server, Native AOT, default logging, `SESSIONS_API_KEY` set", os.path.join(table.OUT, "cg-aot"),
     "Sessions.SampleServer", table.SAMPLE, {"SESSIONS_API_KEY": table.API_KEY}, ("x-api-key: " + table.API_KEY,)),
    ("template-aot", "`dotnet new sessions-server`, Native AOT, its default logging", os.path.join(table.OUT, "cg-template"),
     "SessionsServer", TEMPLATE, table.template_environment(PORT), tuple(table.TEMPLATE_HEADERS)),
    ("template-aot-warning", "`dotnet new sessions-server`, Native AOT, logging at Warning", os.path.join(table.OUT, "cg-template"),
     "SessionsServer", TEMPLATE, dict(table.template_environment(PORT), Logging__LogLevel__Default="Warning"),
     tuple(table.TEMPLATE_HEADERS)),
]
WANTED = [n.strip() for n in os.environ.get("VARIANTS", "floor,aot,aot-apikey").split(",")]
# Refused: a Validate whose token is malformed, answered with grpc-status 3 (InvalidArgument) by every variant but the
# floor, which answers it as any other call (so "floor / it" compares the refusal with a framework call).
ALL_METHODS = {"Create": ("Create", "0"), "Validate": ("Validate", "0"), "Refused": ("Validate", "3")}
METHODS = [m.strip() for m in os.environ.get("METHODS", "Create,Validate").split(",")]
if "Create" not in METHODS or any(m not in ALL_METHODS for m in METHODS):
    sys.exit(f"instructions.py: METHODS must name Create and any of {list(ALL_METHODS)[1:]}")
VARIANTS = [v for v in ALL_VARIANTS if v[0] in WANTED]
if "floor" not in WANTED or len(VARIANTS) != len(WANTED):
    sys.exit(f"instructions.py: VARIANTS must name floor and any of {[v[0] for v in ALL_VARIANTS[1:]]}")


def build():
    for _, _, folder, binary, project, _, _ in {v[2]: v for v in VARIANTS}.values():
        # Native intermediates of their own: the link step does not rerun for a changed StripSymbols alone, so sharing
        # them with publish-aot.sh would hand one build's binary to the other.
        native = os.path.join(table.OUT, "cg-obj", os.path.basename(folder)) + os.sep
        project, cwd, env = (("SessionsServer.csproj",) + table.template_project()) if project == TEMPLATE else (project, None, None)
        table.run(["dotnet", "publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
                   "-p:StripSymbols=false", f"-p:NativeIntermediateOutputPath={native}", "-o", folder, "-nologo", "-v", "quiet"],
                  cwd=cwd, env=env)
        table.run(["objcopy", "--strip-debug", os.path.join(folder, binary)])


def need_tools():
    missing = [tool for tool in ("valgrind", "callgrind_control", "callgrind_annotate", "h2load", "objcopy", "taskset")
               if not shutil.which(tool)]
    if missing:
        sys.exit(f"instructions.py: missing {', '.join(missing)}: apt-get install valgrind nghttp2-client binutils util-linux")


def count(variant, method, work):
    """Runs one server under callgrind; returns (instructions per call, {function: instructions per call})."""
    name, _, folder, binary, _, variant_env, headers = variant
    out = os.path.join(work, f"{name}-{method}.callgrind")
    env = table.server_environment(PORT, variant_env)
    log_path = os.path.join(work, f"{name}-{method}.log")
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            ["taskset", "-c", "0", "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
             os.path.join(folder, binary)],
            cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        try:
            reply = table.first_create(PORT, table.grpc_frame(table.USER_ID), time.monotonic() + STARTUP_TIMEOUT, headers, server)
        except RuntimeError as failure:
            with open(log_path, errors="replace") as log:
                tail = "".join(log.readlines()[-10:])
            raise RuntimeError(f"{name}: {failure}; its last output:\n{tail}") from None
        bodies = {"Create": os.path.join(work, "create.bin"), "Validate": os.path.join(work, f"validate-{name}.bin"),
                  "Refused": os.path.join(work, "refused.bin")}
        with open(bodies["Create"], "wb") as f:
            f.write(table.grpc_frame(table.USER_ID))
        with open(bodies["Validate"], "wb") as f:
            f.write(table.grpc_frame(table.token_of_reply(reply)))
        with open(bodies["Refused"], "wb") as f:
            f.write(table.grpc_frame("not.a.token"))
        path, expected = ALL_METHODS[method]
        if name == "floor":
            expected = "0"   # the floor answers every call with its constant reply, the malformed token's too
        check_status(path, bodies[method], expected, "before counting", headers)
        table.h2load(PORT, path, bodies[method], WARMUP, headers=headers)
        # The valgrind process is the server's pid: taskset execs it.
        subprocess.run(["callgrind_control", "-i", "on", str(server.pid)], check=True, capture_output=True)
        table.h2load(PORT, path, bodies[method], N, headers=headers)
        subprocess.run(["callgrind_control", "-i", "off", str(server.pid)], check=True, capture_output=True)
        subprocess.run(["callgrind_control", "-d", str(server.pid)], check=True, capture_output=True)
        check_status(path, bodies[method], expected, "after counting", headers)
    finally:
        table.stop(server, 120)   # a server under valgrind takes a while to stop
    functions = collections.Counter()
    total, rows = annotated(out, f"{name} {method}", inclusive=False)
    for value, function, binary in rows:
        function = short_name(function)
        if function.startswith("0x") and binary:   # no symbol: say whose code it is
            function = f"{function} in {os.path.basename(binary)}"
        functions[function] += value
    return total / N, {k: v / N for k, v in functions.items()}


def check_status(path, body, expected, when, headers):
    """h2load counts HTTP 200 as success whatever the grpc-status: curl checks it before and after counting."""
    for _ in range(5):
        status = table.grpc_status(PORT, path, body, headers)
        if status != expected:
            raise RuntimeError(f"{path} {when}: grpc-status {status}, expected {expected}")


# Parts of the start-up, as callgrind names them (inclusive: a part's callees count in it). They overlap: mapping the
# gRPC services is mostly resolving generic virtual methods, which is mostly building types at run time.
STARTUP_PARTS = [
    ("mapping the gRPC services (`MapGrpcService`)", "GrpcEndpointRouteBuilderExtensions__MapGrpcService<"),
    ("resolving generic virtual methods at run time", "TypeLoaderEnvironment__ResolveGenericVirtualMethodTarget"),
    ("building generic types at run time (`MakeGenericType` and the like)", "TypeLoader_TypeBuilder__BuildType"),
]


def startup(variant, work):
    """Runs one server under callgrind from its first instruction to its first answered Create; returns (instructions,
    {part: instructions})."""
    name, _, folder, binary, _, variant_env, headers = variant
    out = os.path.join(work, f"{name}-startup.callgrind")
    env = table.server_environment(PORT, variant_env)
    with open(os.path.join(work, f"{name}-startup.log"), "wb") as log:
        server = subprocess.Popen(["taskset", "-c", "0", "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                                   os.path.join(folder, binary)],
                                  cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        table.first_create(PORT, table.grpc_frame(table.USER_ID), time.monotonic() + STARTUP_TIMEOUT, headers, server)
        subprocess.run(["callgrind_control", "-d", str(server.pid)], check=True, capture_output=True)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    total, rows = annotated(out, f"{name} start-up", inclusive=True)
    parts = collections.Counter()
    for value, function, _ in rows:
        for label, symbol in STARTUP_PARTS:
            if symbol in function and "'" not in function:   # not callgrind's copies of recursive calls
                parts[label] = max(parts[label], value)
    return total, parts


def annotated(out, what, inclusive):
    """The dump callgrind wrote to `out`.N: (instructions in all, [(instructions, function, object file)]), each
    function's own instructions or, with `inclusive`, its callees' too."""
    dumps = sorted(f for f in glob.glob(out + "*") if os.path.getsize(f) > 0 and f != out)
    if not dumps:
        raise RuntimeError(f"{what}: callgrind wrote no dump")
    text = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100", dumps[-1]],
                          capture_output=True, text=True, check=True).stdout
    total, rows = 0, []
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*?)(?: \[(.*)\])?$", line)
        if not m:
            continue
        value = int(m.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in line:
            total = value
        else:
            rows.append((value, m.group(2), m.group(3)))
    return total, rows


def short_name(symbol):
    """`???:Sessions_Jwt_Sessions_Jwt_Internal_HmacSha256Key__Compute` -> `Sessions.Jwt.Internal.HmacSha256Key.Compute`:
    the Native AOT symbol is the assembly's name, then the type's full name; the assembly's part goes."""
    name = symbol.split(":", 1)[1] if symbol.startswith("???:") else symbol.rsplit(":", 1)[-1]
    first = name.split("_", 1)[0] + "_"
    again = name.find("_" + first, 1)
    if name.startswith("S_P_CoreLib_"):
        name = name[len("S_P_CoreLib_"):]
    elif first != "_" and again > 0 and "::" not in name:
        name = name[again + 1:]
    else:
        return name[:110]   # native code: the runtime, the GC, libc, OpenSSL
    return name.replace("__", ".").replace("_", ".")[:110]


def main():
    need_tools()
    if os.environ.get("SKIP_BUILD") != "1":
        print("== building (Native AOT, twice: a few minutes)", flush=True)
        build()
    work = tempfile.mkdtemp(prefix="sessions-instructions-")
    results = {}
    try:
        for method in METHODS:
            for variant in VARIANTS:
                name = variant[0]
                print(f"== {name} {method}: {WARMUP:,} warm-up calls, then {N:,} counted (a minute or two)", flush=True)
                results[(name, method)] = count(variant, method, work)
                print(f"   {results[(name, method)][0]:,.0f} instructions per call", flush=True)
        for variant in {v[2]: v for v in VARIANTS}.values():   # once per binary
            print(f"== {variant[0]} from process start to the first answered Create", flush=True)
            results[(variant[0], "startup")] = startup(variant, work)
            print(f"   {results[(variant[0], 'startup')][0] / 1e6:,.1f} million instructions", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write(results)


def write(results):
    today = datetime.date.today().isoformat()
    output = os.environ.get("OUTPUT") or os.path.join(table.ROOT, "benchmarks", "results", f"{today}-instructions.md")
    commit = subprocess.run(["git", "-C", table.ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"# Instructions per call, sample server against the framework floor, {today}", "",
        f"**Machine: {table.machine()}; main at {commit}.** Counted by callgrind (valgrind), so the figures do not "
        "depend on the machine's load.", "",
        "```sh", "benchmarks/load/instructions.py", "```", "",
        f"Per method and variant: a fresh Native AOT process under callgrind, pinned to CPU 0, {WARMUP:,} warm-up calls "
        f"with h2load (`-c 16 -m 16`), then {N:,} counted calls; every instruction of the process (Kestrel, the "
        "service, the log writer, the GC) divided by the calls. grpc-status 0 checked with curl before and after. "
        "Under valgrind OpenSSL runs its AVX2 SHA-256 code rather than the SHA extensions, so the HMAC weighs more "
        "here than on the CPU.", "",
        "| variant | " + " | ".join(f"{method} | floor / it" for method in METHODS) + " |",
        "|---|" + "---:|---:|" * len(METHODS),
    ]
    for name, label, *_ in VARIANTS:
        row = [label]
        for method in METHODS:
            row += [f"{results[(name, method)][0]:,.0f}", f"{results[('floor', method)][0] / results[(name, method)][0]:.2f}"]
        lines.append("| " + " | ".join(row) + " |")
    started = [(name, label) for name, label, *_ in VARIANTS if (name, "startup") in results]
    lines += ["", "From process start to the first answered `Create` (every instruction of the process, all threads; "
              "millions), and parts of it:", "",
              "| | " + " | ".join(name for name, _ in started) + " |", "|---|" + "---:|" * len(started),
              "| in all | " + " | ".join(f"{results[(name, 'startup')][0] / 1e6:,.1f}" for name, _ in started) + " |"]
    for part, _ in STARTUP_PARTS:
        lines.append(f"| {part} | " + " | ".join(f"{results[(name, 'startup')][1].get(part, 0) / 1e6:,.1f}" for name, _ in started) + " |")
    for name, label, *_ in VARIANTS[1:]:
        for method in METHODS:
            floor, sample = results[("floor", method)][1], results[(name, method)][1]
            rows = sorted(set(floor) | set(sample), key=lambda k: -(sample.get(k, 0) - floor.get(k, 0)))
            lines += ["", f"Where `{method}` of `{name}` differs most from the floor (instructions per call spent in the "
                      "function itself):", "", f"| function | floor | {name} | difference |", "|---|---:|---:|---:|"]
            for k in rows[:TOP]:
                lines.append(f"| `{k}` | {floor.get(k, 0):,.0f} | {sample.get(k, 0):,.0f} | {sample.get(k, 0) - floor.get(k, 0):+,.0f} |")
    lines.append("")
    table.write_report(output, lines)


if __name__ == "__main__":
    main()
