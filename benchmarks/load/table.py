#!/usr/bin/env python3
"""The load table of the sample server: requests/s and p99 per build, against a framework floor of its own.

Builds (unless SKIP_BUILD=1) into benchmarks/load/out/:
  aot/    the sample server published as Native AOT (-r linux-x64, what the Dockerfile ships)
  jit/    the sample server built in Release and run with `dotnet` (what `dotnet run` and embedding hosts get)
  floor/  benchmarks/load/Floor: ASP.NET Core gRPC with constant replies, the same hosting, no logging, Native AOT
  template/  the server `dotnet new sessions-server` makes, from the library and template packages packed into a feed of
          its own, built in Release and run with `dotnet SessionsServer.dll` (what `dotnet run` and a plain
          framework-dependent deployment of it get)
  template-aot/  the same project published as its Dockerfile publishes it (`dotnet publish -c Release -r linux-x64`,
          Native AOT), run as `./SessionsServer`: what a team that starts from the template ships in its container
  go/     benchmarks/load/GoStandIn: a Go service to the same contract (grpc-go, golang-jwt, one log line per call),
          from Debian's packages, when they are installed; a stand-in for the original Go service, measured in the
          same rounds

Then, for ROUNDS rounds, runs every variant once, in an order rotated each round (so that a noisy neighbour
lands on different variants): a fresh server process started from its own output folder, pinned to CPU 0, with
h2load pinned to CPU 1. Per run: the time from process start to the first answered Create (cold start), 5 Create
and 5 Validate calls with curl that must end with grpc-status 0 (h2load counts HTTP 200 as success even for a gRPC
error), 20,000 warm-up calls per method, then 100,000 measured calls per method with -c 16 -m 16 (256 streams in
flight; the p99 comes from that run's per-request log), the curl check again, and -- when the server logs at
Information -- one log line per call, counted. Every h2load run is bounded by `timeout`, the whole run by
MAX_MINUTES.

Writes benchmarks/results/<date>-load-table.md: medians over the rounds, and ratios against the floor measured in
the same round (median of the per-round ratios).

Usage:  benchmarks/load/table.py
Environment: ROUNDS (3), N (100000), WARMUP_N (20000), C (16), M (16), VARIANTS (comma-separated names, default
all: floor, go, aot, aot-apikey, aot-warning, jit, jit-warning, jit-runtime-default, jit-pgo0, jit-tc0, jit-r2r, template,
template-aot, template-aot-warning, template-runtime-default), SKIP_BUILD=1, MAX_MINUTES (60), PORT (39141), OUTPUT (the results file),
BASELINE (a commit: the aot variants chosen also as that commit builds them, named aot@<commit> and so on, built
from a temporary git worktree into out/baseline-aot/).
"""

import contextlib
import datetime
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "benchmarks", "load", "out")
SAMPLE = os.path.join(ROOT, "samples", "Sessions.SampleServer")
FLOOR = os.path.join(ROOT, "benchmarks", "load", "Floor")
GO_STAND_IN = os.path.join(ROOT, "benchmarks", "load", "GoStandIn")

ROUNDS = int(os.environ.get("ROUNDS", "3"))
N = int(os.environ.get("N", "100000"))
WARMUP_N = int(os.environ.get("WARMUP_N", "20000"))
C = int(os.environ.get("C", "16"))
M = int(os.environ.get("M", "16"))
PORT = int(os.environ.get("PORT", "39141"))
MAX_MINUTES = float(os.environ.get("MAX_MINUTES", "60"))
H2LOAD_TIMEOUT = 180
STARTUP_TIMEOUT = 60
SECRET = "load-test-secret-0123456789abcdef-0123456789"
USER_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
DEADLINE = time.monotonic() + MAX_MINUTES * 60

# The Go service's figures, as measured on this kind of machine with the same settings (issue 13); it is not here.
GO = {"Create": 26_800, "Validate": 22_200, "p99": "16-18 ms"}


API_KEY = "load-test-api-key-0123456789abcdef-0123456789"


class Variant:
    def __init__(self, name, label, folder, command, env=None, logs_calls=False, headers=()):
        self.name, self.label, self.folder, self.command = name, label, folder, command
        self.env = env or {}
        self.logs_calls = logs_calls
        self.headers = list(headers)  # sent with every call ("name: value")


def variants():
    aot, jit, floor = (os.path.join(OUT, d) for d in ("aot", "jit", "floor"))
    native = ["./Sessions.SampleServer"]
    dotnet = ["dotnet", "Sessions.SampleServer.dll"]
    warning = {"Logging__LogLevel__Default": "Warning"}
    all_variants = [
        Variant("floor", "framework floor: ASP.NET Core gRPC, constant replies, no logging, Native AOT", floor,
                ["./Sessions.LoadFloor"]),
        Variant("go", "Go stand-in (`load/GoStandIn`: grpc-go 1.33, golang-jwt 4.4, one `log.Printf` per call; not the original)",
                os.path.join(OUT, "go"), ["./gostandin"]),
        Variant("aot", "sample server, Native AOT, default logging (one line per call)", aot, native, logs_calls=True),
        Variant("aot-apikey", "sample server, Native AOT, default logging, `SESSIONS_API_KEY` set (Create authorized per call)",
                aot, native, {"SESSIONS_API_KEY": API_KEY}, logs_calls=True, headers=["x-api-key: " + API_KEY]),
        Variant("aot-warning", "sample server, Native AOT, logging at Warning", aot, native, warning),
        Variant("jit", "sample server, Release run with `dotnet` (JIT), default logging", jit, dotnet, logs_calls=True),
        Variant("jit-warning", "sample server, JIT, logging at Warning", jit, dotnet, warning),
        # What the JIT build did before it set System.Runtime.TieredCompilation.CallCountingDelayMs=0 (the runtime's
        # default of 100 ms, which it multiplies by ten on one CPU); the environment wins over runtimeconfig.json.
        Variant("jit-runtime-default", "sample server, JIT, default logging, the runtime's default tier-up delay",
                jit, dotnet, {"DOTNET_TC_CallCountingDelayMs": "100"}, logs_calls=True),
        Variant("jit-pgo0", "sample server, JIT, default logging, `DOTNET_TieredPGO=0`", jit, dotnet,
                {"DOTNET_TieredPGO": "0"}, logs_calls=True),
        Variant("jit-tc0", "sample server, JIT, default logging, `DOTNET_TieredCompilation=0`", jit, dotnet,
                {"DOTNET_TieredCompilation": "0"}, logs_calls=True),
        Variant("jit-r2r", "sample server, JIT, default logging, ReadyToRun + `DOTNET_TieredPGO=0`",
                os.path.join(OUT, "jit-r2r"), dotnet, {"DOTNET_TieredPGO": "0"}, logs_calls=True),
        Variant("template", "`dotnet new sessions-server`, Release run with `dotnet` (JIT), its default logging",
                os.path.join(OUT, "template"), ["dotnet", "SessionsServer.dll"], TEMPLATE_ENV, logs_calls=True,
                headers=TEMPLATE_HEADERS),
        Variant("template-aot", "`dotnet new sessions-server`, Native AOT (`dotnet publish -r linux-x64`, as its Dockerfile), its default logging",
                os.path.join(OUT, "template-aot"), ["./SessionsServer"], TEMPLATE_ENV, logs_calls=True,
                headers=TEMPLATE_HEADERS),
        Variant("template-aot-warning", "`dotnet new sessions-server`, Native AOT, logging at Warning (no line per call)",
                os.path.join(OUT, "template-aot"), ["./SessionsServer"], dict(TEMPLATE_ENV, **warning),
                headers=TEMPLATE_HEADERS),
        Variant("template-runtime-default", "`dotnet new sessions-server`, JIT, default logging, the runtime's default tier-up delay",
                os.path.join(OUT, "template"), ["dotnet", "SessionsServer.dll"],
                dict(TEMPLATE_ENV, DOTNET_TC_CallCountingDelayMs="100"), logs_calls=True, headers=TEMPLATE_HEADERS),
    ]
    wanted = os.environ.get("VARIANTS")
    if wanted:
        names = [n.strip() for n in wanted.split(",")]
        unknown = set(names) - {v.name for v in all_variants}
        if unknown:
            sys.exit(f"table.py: unknown VARIANTS {sorted(unknown)}; known: {[v.name for v in all_variants]}")
        selected = [v for v in all_variants if v.name in names]
    elif not go_available():
        print("table.py: no Go toolchain with Debian's grpc and jwt packages, so no Go stand-in in this run", flush=True)
        selected = [v for v in all_variants if v.name != "go"]
    else:
        selected = all_variants
    return selected + baseline_variants(selected)


# BASELINE=<commit>: the sample's Native AOT variants also as that commit built them, in the same rounds, so that a
# change is measured against the code before it on the same machine at the same time.
BASELINE = os.environ.get("BASELINE")
BASELINE_AOT = ("aot", "aot-apikey", "aot-warning")


def baseline_variants(selected):
    if not BASELINE:
        return []
    folder = os.path.join(OUT, "baseline-aot")
    return [Variant(f"{v.name}@{BASELINE}", f"{v.label}, at {BASELINE}", folder, v.command, v.env, v.logs_calls, v.headers)
            for v in selected if v.name in BASELINE_AOT]


def build_baseline():
    """The sample as BASELINE has it, published as Native AOT by that commit's own publish-aot.sh, from a temporary
    worktree of this repository."""
    work = tempfile.mkdtemp(prefix="sessions-baseline-")
    tree = os.path.join(work, "tree")
    run(["git", "-C", ROOT, "worktree", "add", "--detach", tree, BASELINE])
    try:
        run([os.path.join(tree, "samples", "Sessions.SampleServer", "container", "publish-aot.sh"), os.path.join(OUT, "baseline-aot")])
    finally:
        subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", tree], check=False)
        shutil.rmtree(work, ignore_errors=True)


# The template's server reads Kestrel's endpoints and the Sessions section, not the sample's PORT and JWT_SECRET.
def template_environment(port):
    """The template's settings for 127.0.0.1:port (HTTP/1.1 on port + 1) with the load secret and the API key its
    privileged calls need (its Program.cs calls RequireApiKey(); every call of the load sends it, TEMPLATE_HEADERS)."""
    return {"Kestrel__Endpoints__Grpc__Url": f"http://127.0.0.1:{port}",
            "Kestrel__Endpoints__Http__Url": f"http://127.0.0.1:{port + 1}", "Sessions__Secret": SECRET,
            "Sessions__ApiKey": API_KEY}


TEMPLATE_HEADERS = ["x-api-key: " + API_KEY]


TEMPLATE_ENV = template_environment(PORT)


def run(cmd, **kwargs):
    print("   $ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, **kwargs)


def build(selected):
    names = {v.name for v in selected}
    quiet = ["-nologo", "-v", "quiet"]
    if names & {"aot", "aot-apikey", "aot-warning"}:
        run([os.path.join(SAMPLE, "container", "publish-aot.sh"), os.path.join(OUT, "aot")])
    if names & {"jit", "jit-warning", "jit-pgo0", "jit-tc0", "jit-runtime-default"}:
        run(["dotnet", "build", SAMPLE, "-c", "Release", "-o", os.path.join(OUT, "jit")] + quiet)
    if "jit-r2r" in names:
        run(["dotnet", "publish", SAMPLE, "-c", "Release", "-r", "linux-x64", "--self-contained", "false",
             "-p:PublishAot=false", "-p:PublishReadyToRun=true", "-o", os.path.join(OUT, "jit-r2r")] + quiet)
    if "floor" in names:
        run(["dotnet", "publish", FLOOR, "-c", "Release", "-r", "linux-x64", "-o", os.path.join(OUT, "floor")] + quiet)
    if names & {"template", "template-aot", "template-aot-warning", "template-runtime-default"}:
        build_template(aot=bool(names & {"template-aot", "template-aot-warning"}))
    if "go" in names:
        build_go()
    if BASELINE and names & {f"{name}@{BASELINE}" for name in BASELINE_AOT}:
        build_baseline()


def template_project():
    """Makes the project `dotnet new sessions-server` makes, from this checkout's packages (new-project.sh), afresh;
    returns its folder and the environment to build it in."""
    work = os.path.join(OUT, "template-build")
    shutil.rmtree(work, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "NUGET_PACKAGES"}   # the project's nuget.config says where
    source = subprocess.run([os.path.join(ROOT, "templates", "Sessions.Templates", "new-project.sh"), work, "src"],
                            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return source, env


def build_template(aot):
    """`dotnet new sessions-server` from this checkout's packages (templates/Sessions.Templates/new-project.sh), then
    built as `dotnet run` builds it and, for template-aot, published as its Dockerfile publishes it."""
    source, env = template_project()
    quiet = ["-nologo", "-v", "quiet"]
    shutil.rmtree(os.path.join(OUT, "template"), ignore_errors=True)
    run(["dotnet", "publish", "SessionsServer.csproj", "-c", "Release", "-o", os.path.join(OUT, "template")] + quiet,
        cwd=source, env=env)
    if aot:   # the Dockerfile's build stage; its final stage keeps the executable and appsettings.json
        shutil.rmtree(os.path.join(OUT, "template-aot"), ignore_errors=True)
        run(["dotnet", "publish", "SessionsServer.csproj", "-c", "Release", "-r", "linux-x64", "-o",
             os.path.join(OUT, "template-aot")] + quiet, cwd=source, env=env)


GOPATH = "/usr/share/gocode"   # where Debian's golang-*-dev packages put their sources


def go_available():
    return bool(shutil.which("go")) and os.path.isdir(os.path.join(GOPATH, "src", "google.golang.org", "grpc")) \
        and os.path.isdir(os.path.join(GOPATH, "src", "github.com", "golang-jwt", "jwt"))


def build_go():
    """The Go stand-in, from Debian 12's packages in GOPATH mode (no module proxy is reachable here)."""
    if not go_available():
        sys.exit("table.py: the go variant needs apt-get install golang-go golang-google-grpc-dev golang-github-golang-jwt-jwt-dev")
    env = dict(os.environ, GO111MODULE="off", GOPATH=GOPATH, GOFLAGS="",
               GOCACHE=os.path.join(OUT, "go-cache"))
    os.makedirs(os.path.join(OUT, "go"), exist_ok=True)
    run(["go", "build", "-o", os.path.join(OUT, "go", "gostandin"), "."], cwd=GO_STAND_IN, env=env)


def need_tools():
    if not shutil.which("h2load"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "nghttp2-client"], check=True, stdout=subprocess.DEVNULL)
    for tool in ("curl", "taskset"):
        if not shutil.which(tool):
            sys.exit(f"table.py: {tool} is required")


def grpc_frame(text):
    data = text.encode()
    length, varint = len(data), bytearray()
    while True:
        b = length & 0x7F
        length >>= 7
        varint.append(b | (0x80 if length else 0))
        if not length:
            break
    message = b"\x0a" + bytes(varint) + data
    return b"\x00" + struct.pack(">I", len(message)) + message


def token_of_reply(frame):
    data, i = frame[5:], 0

    def varint(i):
        shift = value = 0
        while True:
            b = data[i]
            i += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return value, i

    while i < len(data):
        key, i = varint(i)
        kind = key & 7
        if kind == 0:
            _, i = varint(i)
        elif kind == 1:
            i += 8
        elif kind == 5:
            i += 4
        elif kind == 2:
            length, i = varint(i)
            if key >> 3 == 2:
                return data[i:i + length].decode()
            i += length
        else:
            break
    raise RuntimeError("no token in the Create reply")


def first_create(port, body, deadline, extra_headers=(), process=None):
    """Connects until the server listens, then sends one Create over HTTP/2 (prior knowledge) and returns when its
    reply message arrives: a minimal client, so that the cold start is not measured through a process start."""
    def literal(name, value):  # HPACK literal header field without indexing, new name, no Huffman
        n, v = name.encode(), value.encode()
        return b"\x00" + bytes([len(n)]) + n + bytes([len(v)]) + v

    headers = (literal(":method", "POST") + literal(":scheme", "http") + literal(":path", "/sessions.Sessions/Create")
               + literal(":authority", f"127.0.0.1:{port}") + literal("content-type", "application/grpc")
               + literal("te", "trailers"))
    for header in extra_headers:
        name, value = header.split(": ", 1)
        headers += literal(name, value)

    def frame(kind, flags, stream, payload):
        return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload

    request = (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(4, 0, 0, b"") + frame(1, 4, 1, headers)
               + frame(0, 1, 1, body))
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} before answering Create")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(request)
                buffer = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buffer += chunk
                    while len(buffer) >= 9:
                        length = int.from_bytes(buffer[:3], "big")
                        if len(buffer) < 9 + length:
                            break
                        kind, flags = buffer[3], buffer[4]
                        stream = int.from_bytes(buffer[5:9], "big") & 0x7FFFFFFF
                        payload = buffer[9:9 + length]
                        buffer = buffer[9 + length:]
                        if kind == 4 and not flags & 1:
                            s.sendall(frame(4, 1, 0, b""))  # SETTINGS ack
                        if kind == 0 and stream == 1 and length > 5:
                            return payload
                        if kind == 3 or kind == 7:  # RST_STREAM or GOAWAY: not served yet
                            break
        except OSError:
            pass
        time.sleep(0.002)
    raise RuntimeError("the server did not answer Create in time")


def header_args(headers):
    return [arg for header in headers for arg in ("-H", header)]


def grpc_status(port, method, body_file, headers=()):
    """One call with curl, which sees trailers; returns the grpc-status as text ("none" when missing)."""
    result = subprocess.run(
        ["curl", "-sS", "-v", "--http2-prior-knowledge", "--max-time", "10", "-X", "POST",
         "-H", "content-type: application/grpc", "-H", "te: trailers"] + header_args(headers) + ["--data-binary", "@" + body_file,
         "-o", os.devnull, f"http://127.0.0.1:{port}/sessions.Sessions/{method}"],
        capture_output=True, text=True)
    statuses = re.findall(r"^< grpc-status: *(\S+)", result.stderr, re.MULTILINE)
    return statuses[-1] if statuses else "none"


def check_statuses(port, bodies, when, headers=()):
    for method, body in bodies.items():
        for _ in range(5):
            status = grpc_status(port, method, body, headers)
            if status != "0":
                raise RuntimeError(f"{method} {when}: grpc-status {status}, expected 0")


def h2load(port, method, body, n, log_file=None, headers=()):
    remaining = DEADLINE - time.monotonic()
    if remaining < 10:
        raise RuntimeError(f"MAX_MINUTES ({MAX_MINUTES}) reached")
    cmd = ["taskset", "-c", "1", "timeout", str(int(min(H2LOAD_TIMEOUT, remaining))), "h2load", "-n", str(n),
           "-c", str(C), "-m", str(M), "-d", body, "-H", "content-type: application/grpc", "-H", "te: trailers"] + header_args(headers)
    if log_file:
        cmd.append("--log-file=" + log_file)
    cmd.append(f"http://127.0.0.1:{port}/sessions.Sessions/{method}")
    output = subprocess.run(cmd, capture_output=True, text=True).stdout
    done = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored",
                     output)
    if not done or int(done.group(4)) != n:
        raise RuntimeError(f"{method}: not every request succeeded:\n{output}")
    rps = float(re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", output).group(1))
    p99 = None
    if log_file:
        latencies = sorted(int(line.split()[2]) for line in open(log_file) if line.strip())
        p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] / 1000
    return rps, p99


@contextlib.contextmanager
def started_server(variant, work):
    """Starts a fresh server process of `variant`, pinned to CPU 0, waits for its first answered Create, writes the
    Create and Validate request bodies and checks grpc-status 0 on both; yields (process, bodies, cold start in ms,
    log path), checks the statuses again on the way out, and always stops the process."""
    env = server_environment(PORT, variant.env)
    log_path = os.path.join(work, f"{variant.name}.log")
    create_body = os.path.join(work, "create.bin")
    with open(create_body, "wb") as f:
        f.write(grpc_frame(USER_ID))
    started = time.monotonic()
    with open(log_path, "wb") as log:
        server = subprocess.Popen(["taskset", "-c", "0"] + variant.command, cwd=variant.folder, env=env,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        try:
            reply = first_create(PORT, grpc_frame(USER_ID), started + STARTUP_TIMEOUT, variant.headers, server)
        except RuntimeError as failure:
            with open(log_path, errors="replace") as log:
                tail = "".join(log.readlines()[-10:])
            raise RuntimeError(f"{variant.name}: {failure}; the server's last output:\n{tail}") from None
        cold_ms = (time.monotonic() - started) * 1000
        validate_body = os.path.join(work, "validate.bin")
        with open(validate_body, "wb") as f:
            f.write(grpc_frame(token_of_reply(reply)))
        bodies = {"Create": create_body, "Validate": validate_body}
        check_statuses(PORT, bodies, "before the load", variant.headers)
        yield server, bodies, cold_ms, log_path
        check_statuses(PORT, bodies, "after the load", variant.headers)
    finally:
        stop(server, 30)


def server_environment(port, extra):
    """What a server of the load scripts starts with: the sample's settings for 127.0.0.1:port (HTTP/1.1 on port + 1),
    Production, the load secret, then `extra` (a variant's own settings win)."""
    env = dict(os.environ, PORT=str(port), HTTP_PORT=str(port + 1), LISTEN_ADDRESS="127.0.0.1",
               ASPNETCORE_ENVIRONMENT="Production", JWT_SECRET=SECRET)
    env.update(extra)
    return env


def stop(server, grace_seconds):
    """SIGTERM to the server's process group (it may have exited by itself), SIGKILL after the grace period."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def run_variant(variant, work):
    with started_server(variant, work) as (_, bodies, cold_ms, log_path):
        for method, body in bodies.items():
            h2load(PORT, method, body, WARMUP_N, headers=variant.headers)
        result = {"cold_ms": cold_ms}
        for method, body in bodies.items():
            result[method] = h2load(PORT, method, body, N, os.path.join(work, f"{variant.name}-{method}.h2log"), variant.headers)
    if variant.logs_calls:
        # Every call of the run writes its line: 1 + 10 + 10 checks, the warm-ups and the measured calls.
        time.sleep(0.3)
        with open(log_path, "rb") as f:
            lines = f.read().count(b" Sessions.Create issued ")
        expected = 1 + 10 + WARMUP_N + N
        if lines < expected:
            raise RuntimeError(f"{variant.name}: {lines} Create log lines for {expected} calls")
    return result


def machine():
    model = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    h2 = subprocess.run(["h2load", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}, .NET SDK {dotnet}, {h2}"


def main():
    selected = variants()
    need_tools()
    if os.environ.get("SKIP_BUILD") != "1":
        print("== building", flush=True)
        build(selected)
    for v in selected:
        if not os.path.exists(os.path.join(v.folder, v.command[-1].lstrip("./"))):
            sys.exit(f"table.py: {v.name}: nothing built in {v.folder} (run without SKIP_BUILD=1)")
    load_before = os.getloadavg()
    results = {v.name: [] for v in selected}
    floor_by_round = {}
    work = tempfile.mkdtemp(prefix="sessions-load-")
    try:
        for r in range(ROUNDS):
            order = selected[r % len(selected):] + selected[:r % len(selected)]
            for v in order:
                print(f"== round {r + 1}/{ROUNDS}: {v.name}", flush=True)
                result = run_variant(v, work)
                results[v.name].append((r, result))
                if v.name == "floor":
                    floor_by_round[r] = result
                print(f"   cold start {result['cold_ms']:.0f} ms; Create {result['Create'][0]:,.0f} req/s "
                      f"(p99 {result['Create'][1]:.2f} ms); Validate {result['Validate'][0]:,.0f} req/s "
                      f"(p99 {result['Validate'][1]:.2f} ms)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_results(selected, results, floor_by_round, load_before, os.getloadavg())


def write_results(selected, results, floor_by_round, load_before, load_after):
    today = datetime.date.today().isoformat()
    output = os.environ.get("OUTPUT") or os.path.join(ROOT, "benchmarks", "results", f"{today}-load-table.md")
    med = statistics.median
    lines = [
        f"# Load table of the sample server, {today}", "",
        f"**Machine: {machine()}.** Load average {load_before[0]:.1f} before, {load_after[0]:.1f} after "
        "(the machine is shared: read medians and ratios).", "",
        "```sh", "benchmarks/load/table.py" + "".join(f"   # {name}={os.environ[name]}" for name in ("VARIANTS", "ROUNDS", "BASELINE") if os.environ.get(name)), "```", "",
        f"{ROUNDS} rounds; in each, every variant once in a rotated order, a fresh process started from its own output "
        f"folder, server on CPU 0, h2load on CPU 1, {WARMUP_N:,} warm-up calls per method, then {N:,} measured with "
        f"`-c {C} -m {M}` ({C * M} streams in flight; p99 from the measured run). Every run checked grpc-status 0 on "
        "5 Create and 5 Validate calls with curl before and after the load, and the variants that log counted one "
        "log line per Create call. Ratios: against the floor of the same round, median over the rounds.", "",
        "| server (one core) | Create req/s | × floor | Validate req/s | × floor | p99 Create | p99 Validate | cold start |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| the original Go service (issue 13, not measured here) | {GO['Create']:,} | | {GO['Validate']:,} | | "
        f"{GO['p99']} | {GO['p99']} | |",
    ]
    for v in selected:
        runs = results[v.name]
        if not runs:
            continue
        row = [v.label]
        for method in ("Create", "Validate"):
            row.append(f"{med(res[method][0] for _, res in runs):,.0f}")
            ratios = [res[method][0] / floor_by_round[r][method][0] for r, res in runs if r in floor_by_round]
            row.append(f"{med(ratios):.2f}" if ratios else "")
        row += [f"{med(res['Create'][1] for _, res in runs):.1f} ms", f"{med(res['Validate'][1] for _, res in runs):.1f} ms",
                f"{med(res['cold_ms'] for _, res in runs):.0f} ms"]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Each round (Create req/s, Validate req/s, cold start):", ""]
    for v in selected:
        per_round = "; ".join(f"{res['Create'][0]:,.0f} / {res['Validate'][0]:,.0f} / {res['cold_ms']:.0f} ms"
                              for _, res in results[v.name])
        lines.append(f"- `{v.name}`: {per_round}")
    lines += ["", f"Against the Go service's figures: " + "; ".join(
        f"`{v.name}` {med(res['Create'][0] for _, res in results[v.name]) / GO['Create']:.2f}× Create, "
        f"{med(res['Validate'][0] for _, res in results[v.name]) / GO['Validate']:.2f}× Validate"
        for v in selected if v.name not in ("floor", "go") and results[v.name]) + ".", ""]
    go_by_round = {r: res for r, res in results.get("go", [])}
    if go_by_round:
        parts = []
        for v in selected:
            if v.name in ("go", "floor") or not results[v.name]:
                continue
            ratios = {m: [res[m][0] / go_by_round[r][m][0] for r, res in results[v.name] if r in go_by_round]
                      for m in ("Create", "Validate")}
            parts.append(f"`{v.name}` {med(ratios['Create']):.2f}× Create, {med(ratios['Validate']):.2f}× Validate")
        lines += [f"Against the Go stand-in of the same round (median of the per-round ratios): " + "; ".join(parts) + ".", ""]
    write_report(output, lines)


def write_report(output, lines):
    """Writes a results file and prints it."""
    with open(output, "w") as f:
        f.write("\n".join(lines))
    print(f"== wrote {output}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
