# Helpers shared by the load scripts: build and start the sample server on 127.0.0.1, make gRPC request bodies, call
# with curl (which sees trailers, unlike h2load), read the server's RSS. Source it; it sets SERVER_PID and WORK and
# stops the server on exit.
# Environment: PORT (39124), SECRET, USER_ID, SKIP_BUILD=1, STARTUP_TIMEOUT (60), LOG_LEVEL (Warning), API_KEY (sent as
# x-api-key by grpc_call when set).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${PORT:-39124}"
SECRET="${SECRET:-load-test-secret-0123456789abcdef-0123456789}"
USER_ID="${USER_ID:-3f2504e0-4f89-11d3-9a0c-0305e82c3301}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
LOG_LEVEL="${LOG_LEVEL:-Warning}"
BASE="http://127.0.0.1:$PORT"
OUT="$ROOT/samples/Sessions.SampleServer/bin/load"
WORK="$(mktemp -d)"
SERVER_PID=""

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
}
trap 'stop_server; [[ -n "${KEEP_WORK:-}" ]] || rm -rf "$WORK"' EXIT INT TERM

need_tools() {
  command -v h2load >/dev/null || { apt-get update -qq && apt-get install -y -qq nghttp2-client >/dev/null; }
  command -v curl >/dev/null || die "curl is required"
  command -v python3 >/dev/null || die "python3 is required"
}

build_server() {
  if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    dotnet build "$ROOT/samples/Sessions.SampleServer" -c Release -o "$OUT" -nologo -v quiet
  fi
  [[ -f "$OUT/Sessions.SampleServer.dll" ]] || die "no $OUT/Sessions.SampleServer.dll"
}

# start_server [taskset prefix...]: the sample server on 127.0.0.1:$PORT; SERVER_PID is the dotnet process itself.
start_server() {
  PORT="$PORT" LISTEN_ADDRESS=127.0.0.1 ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default="$LOG_LEVEL" \
    JWT_SECRET="$SECRET" "$@" dotnet "$OUT/Sessions.SampleServer.dll" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  wait_for_create "$WORK/server.log"
  TOKEN="$(token_of_reply "$WORK/create.reply")"
  grpc_body "$TOKEN" "$WORK/validate.bin"
}

# wait_for_create LOG: calls Create until it answers with grpc-status 0 (the reply in $WORK/create.reply), for up to
# STARTUP_TIMEOUT seconds; prints LOG and fails if the server (SERVER_PID) exits first or never answers.
wait_for_create() {
  grpc_body "$USER_ID" "$WORK/create.bin"
  local deadline=$((SECONDS + STARTUP_TIMEOUT))
  until [[ "$(grpc_call Create "$WORK/create.bin" "$WORK/create.reply")" == "0" ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$1" >&2; die "the server exited"; }
    [[ $SECONDS -lt $deadline ]] || { cat "$1" >&2; die "the server did not answer Create within ${STARTUP_TIMEOUT}s"; }
    sleep 0.3
  done
}

# grpc_body TEXT FILE: a gRPC frame holding a message whose only field is string 1 (CreateRequest, ValidateTokenRequest).
grpc_body() {
  python3 - "$1" "$2" <<'PY'
import struct, sys
text = sys.argv[1].encode()
n, varint = len(text), bytearray()
while True:
    b = n & 0x7F; n >>= 7
    varint.append(b | (0x80 if n else 0))
    if not n: break
message = b"\x0a" + bytes(varint) + text
open(sys.argv[2], "wb").write(b"\x00" + struct.pack(">I", len(message)) + message)
PY
}

# token_of_reply FILE: field 2 of a TokenReply frame.
token_of_reply() {
  python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()[5:]
def varint(i):
    shift = value = 0
    while True:
        b = data[i]; i += 1; value |= (b & 0x7F) << shift; shift += 7
        if not b & 0x80: return value, i
i = 0
while i < len(data):
    key, i = varint(i)
    if key & 7 == 0: _, i = varint(i)
    elif key & 7 == 1: i += 8
    elif key & 7 == 5: i += 4
    else:
        length, i = varint(i)
        if key >> 3 == 2: print(data[i:i + length].decode()); sys.exit(0)
        i += length
sys.exit("no token in the reply")
PY
}

# grpc_call METHOD BODY REPLY: prints the grpc-status curl saw (trailer or header), "none" if there was none. Sends
# API_KEY as the x-api-key metadata when it is set.
grpc_call() {
  local key=()
  if [[ -n "${API_KEY:-}" ]]; then key=(-H "x-api-key: $API_KEY"); fi
  curl -sS -v --http2-prior-knowledge --max-time 10 -X POST -H 'content-type: application/grpc' -H 'te: trailers' \
    "${key[@]}" --data-binary @"$2" -o "$3" "$BASE/sessions.Sessions/$1" 2>"$WORK/curl.err" || true
  local status
  status="$(grep -i '^< grpc-status:' "$WORK/curl.err" | tail -1 | tr -d '\r' | awk '{print $3}')"
  echo "${status:-none}"
}

# check_sample LABEL COUNT: COUNT Create and COUNT Validate calls with curl, all of which must end with grpc-status 0.
check_sample() {
  local bad=0 method body status
  for method in Create Validate; do
    body="$WORK/create.bin"; [[ $method == Validate ]] && body="$WORK/validate.bin"
    for _ in $(seq "$2"); do
      status="$(grpc_call "$method" "$body" "$WORK/sample.reply")"
      [[ "$status" == "0" ]] || { bad=$((bad + 1)); echo "   $method: grpc-status $status" >&2; }
    done
  done
  echo "   $1: $((2 * $2)) sampled calls with curl, $((2 * $2 - bad)) with grpc-status 0"
  [[ $bad -eq 0 ]] || die "sampled calls failed $1"
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }

pin() { if [[ "$1" -lt "$(nproc)" ]]; then echo "taskset -c $1"; fi; }
