#!/usr/bin/env bash
# Load test of the sample gRPC server over h2c on 127.0.0.1 with h2load.
#
# Builds samples/Sessions.SampleServer (Release), starts it pinned to CPU 0, waits until Create answers, then drives
# Create and Validate with h2load pinned to CPU 1. Prints requests/s and latency percentiles (from h2load's per-request
# log), checks grpc-status on a sample of replies with curl before and after the load (h2load does not show trailers),
# and prints the server's RSS before and after. The server is stopped on exit, whatever happens.
#
# Usage: benchmarks/load/h2load.sh
# Environment (all optional):
#   N=200000 C=16 M=16      h2load requests, clients, streams per client, for each method
#   WARMUP_N=20000          requests sent to each method before measuring (0 for none)
#   PORT=39123              the port the server listens on (127.0.0.1 only)
#   LOG_LEVEL=Warning       the server's default log level; Information writes one line per call
#   H2LOAD_TIMEOUT=180      seconds one h2load run may take before it is stopped
#   STARTUP_TIMEOUT=60      seconds to wait for the server to answer
#   SERVER_CPU=0 CLIENT_CPU=1
#   SECRET=...              the HS256 secret handed to the server (32+ bytes)
#   USER_ID=<uuid>          the user_id sent to Create (the service wants a UUID)
#   SKIP_BUILD=1            reuse the last build
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${N:-200000}"
C="${C:-16}"
M="${M:-16}"
WARMUP_N="${WARMUP_N:-20000}"
PORT="${PORT:-39123}"
LOG_LEVEL="${LOG_LEVEL:-Warning}"
H2LOAD_TIMEOUT="${H2LOAD_TIMEOUT:-180}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
SECRET="${SECRET:-load-test-secret-0123456789abcdef-0123456789}"
USER_ID="${USER_ID:-3f2504e0-4f89-11d3-9a0c-0305e82c3301}"
PROJECT="$ROOT/samples/Sessions.SampleServer"
OUT="$ROOT/samples/Sessions.SampleServer/bin/load"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

die() { echo "h2load.sh: $*" >&2; exit 1; }

[[ -d "$PROJECT" ]] || die "no sample server at $PROJECT"
if ! command -v h2load >/dev/null; then
  echo "h2load missing: installing nghttp2-client"
  apt-get update -qq && apt-get install -y -qq nghttp2-client >/dev/null
fi
command -v curl >/dev/null || die "curl is required"
command -v python3 >/dev/null || die "python3 is required"

# Pin only to CPUs that exist: "${SERVER_PIN[@]}" and "${CLIENT_PIN[@]}" prefix a command with taskset or nothing.
pin_prefix() { # CPU
  if [[ "$1" -lt "$(nproc)" ]]; then echo "taskset -c $1"; fi
}
read -r -a SERVER_PIN <<<"$(pin_prefix "$SERVER_CPU")"
read -r -a CLIENT_PIN <<<"$(pin_prefix "$CLIENT_CPU")"

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  echo "== Building $PROJECT (Release)"
  dotnet build "$PROJECT" -c Release -o "$OUT" -nologo -v quiet
fi
DLL="$OUT/Sessions.SampleServer.dll"
[[ -f "$DLL" ]] || die "no $DLL after the build"

echo "== Starting the server on $BASE (CPU $SERVER_CPU)"
# The server listens where PORT and LISTEN_ADDRESS say (h2c); JWT_SECRET wins over Sessions:Secret.
PORT="$PORT" \
LISTEN_ADDRESS=127.0.0.1 \
ASPNETCORE_ENVIRONMENT=Production \
Logging__LogLevel__Default="$LOG_LEVEL" \
JWT_SECRET="$SECRET" \
  "${SERVER_PIN[@]}" dotnet "$DLL" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!  # taskset execs dotnet, so this is the server's own PID (its RSS, its signal)

# gRPC bodies: a 5-byte prefix (no compression, big-endian length) and the protobuf message, whose only field is a
# string with tag 1 (0x0a): CreateRequest{user_id} and ValidateTokenRequest{token}.
grpc_body() { # text file
  python3 - "$1" "$2" <<'PY'
import struct, sys
text = sys.argv[1].encode()
def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)
message = b"\x0a" + varint(len(text)) + text
open(sys.argv[2], "wb").write(b"\x00" + struct.pack(">I", len(message)) + message)
PY
}

# The token of a TokenReply (field 2): the first string field that looks like a compact JWS (three base64url
# segments), so that a renumbered reply still works.
token_of_reply() { # file
  python3 - "$1" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()[5:]
def varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]; i += 1
        value |= (b & 0x7F) << shift; shift += 7
        if not b & 0x80:
            return value, i
i = 0
while i < len(data):
    key, i = varint(data, i)
    kind = key & 7
    if kind == 0:
        _, i = varint(data, i)
    elif kind == 1:
        i += 8
    elif kind == 5:
        i += 4
    elif kind == 2:
        length, i = varint(data, i)
        value = data[i:i + length]; i += length
        if re.fullmatch(rb"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", value):
            print(value.decode()); sys.exit(0)
    else:
        break
sys.exit("no token in the Create reply")
PY
}

# One call with curl; prints the grpc-status trailer (or "none").
grpc_call() { # method body reply
  curl -sS -v --http2-prior-knowledge --max-time 10 -X POST \
    -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$2" -o "$3" "$BASE/sessions.Sessions/$1" 2>"$WORK/curl.err" || true
  local status
  status="$(grep -i '^< grpc-status:' "$WORK/curl.err" | tail -1 | tr -d '\r' | awk '{print $3}')"
  echo "${status:-none}"
}

grpc_body "$USER_ID" "$WORK/create.bin"

echo "== Waiting for the server (up to ${STARTUP_TIMEOUT}s)"
deadline=$((SECONDS + STARTUP_TIMEOUT))
until [[ "$(grpc_call Create "$WORK/create.bin" "$WORK/create.reply")" == "0" ]]; do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "the server exited"; }
  [[ $SECONDS -lt $deadline ]] || { cat "$WORK/server.log" >&2; die "the server did not answer Create with grpc-status 0"; }
  sleep 0.5
done

TOKEN="$(token_of_reply "$WORK/create.reply")"
grpc_body "$TOKEN" "$WORK/validate.bin"
echo "   got a ${#TOKEN}-character token from Create"

rss() { awk '/^VmRSS/ {print $2 " " $3}' "/proc/$SERVER_PID/status"; }

check_replies() { # label
  local failures=0 status
  for method in Create Validate; do
    local body="$WORK/create.bin"; [[ $method == Validate ]] && body="$WORK/validate.bin"
    for _ in 1 2 3 4 5; do
      status="$(grpc_call "$method" "$body" "$WORK/check.reply")"
      [[ "$status" == "0" ]] || { failures=$((failures + 1)); echo "   $method: grpc-status $status" >&2; }
    done
  done
  echo "   $1: 10 sampled replies (5 Create, 5 Validate), $((10 - failures)) with grpc-status 0"
  [[ $failures -eq 0 ]] || die "sampled replies failed $1"
}

percentiles() { # h2load log file
  python3 - "$1" <<'PY'
import sys
# h2load --log-file: start time, status code, elapsed microseconds, tab-separated.
lat = sorted(int(line.split()[2]) for line in open(sys.argv[1]) if line.strip())
if not lat:
    sys.exit("empty h2load log")
def p(q):
    return lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
print(f"   latency ms over {len(lat)} requests: p50 {p(.50):.2f}  p90 {p(.90):.2f}  p99 {p(.99):.2f}  p99.9 {p(.999):.2f}  max {lat[-1]/1000:.2f}")
PY
}

drive() { # method body
  local method="$1" body="$2" url="$BASE/sessions.Sessions/$1"
  local args=(-c "$C" -m "$M" -d "$body" -H 'content-type: application/grpc' -H 'te: trailers')
  if [[ "$WARMUP_N" -gt 0 ]]; then
    "${CLIENT_PIN[@]}" timeout "$H2LOAD_TIMEOUT" h2load -n "$WARMUP_N" "${args[@]}" "$url" >/dev/null || die "$method warm-up failed"
  fi
  echo "== $method: h2load -n $N -c $C -m $M (CPU $CLIENT_CPU)"
  "${CLIENT_PIN[@]}" timeout "$H2LOAD_TIMEOUT" h2load -n "$N" "${args[@]}" --log-file="$WORK/$method.log" "$url" >"$WORK/$method.out" \
    || { cat "$WORK/$method.out"; die "$method: h2load failed or ran past ${H2LOAD_TIMEOUT}s"; }
  grep -E '^(finished in|requests:|status codes:|time for request:)' "$WORK/$method.out" | sed 's/^/   /'
  percentiles "$WORK/$method.log"
  grep -qE "requests: $N total, $N started, $N done, $N succeeded, 0 failed, 0 errored" "$WORK/$method.out" \
    || die "$method: not every request succeeded"
}

echo "== Server RSS before: $(rss)"
check_replies "before the load"
drive Create "$WORK/create.bin"
drive Validate "$WORK/validate.bin"
check_replies "after the load"
echo "== Server RSS after: $(rss)"
