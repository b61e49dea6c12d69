#!/usr/bin/env bash
# JSON over HTTP/1.1 (the sample's transcoded POST /v1/sessions) against two JIT builds of the sample, alternately,
# each a fresh process pinned to CPU 0 with h2load --h1 on CPU 1: 20,000 warm-up calls, then N measured; every reply
# must be 200. For an A/B of a change to the JSON routes:
#
#   git worktree add ../before <commit> && (cd ../before && dotnet build -c Release samples/Sessions.SampleServer -o ../before/out)
#   dotnet build -c Release samples/Sessions.SampleServer -o out-after
#   benchmarks/load/json-ab.sh ../before/out out-after
#
# Environment: ROUNDS (3), N (50000), C (16). Prints req/s per run; read the ratio of the two runs of each round.
set -euo pipefail
BEFORE=${1:?the output folder of the build before}
AFTER=${2:?the output folder of the build after}
ROUNDS=${ROUNDS:-3}
N=${N:-50000}
C=${C:-16}
BODY=$(mktemp)
trap 'rm -f "$BODY"' EXIT
echo '{"user_id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}' > "$BODY"

run() { # name folder http-port
  local name=$1 dir=$2 port=$3
  PORT=$((port + 1)) HTTP_PORT=$port LISTEN_ADDRESS=127.0.0.1 taskset -c 0 dotnet "$dir/Sessions.SampleServer.dll" > /dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.2; done
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' --data-binary @"$BODY" "http://127.0.0.1:$port/v1/sessions")
  if [ "$code" != 200 ]; then echo "$name: POST /v1/sessions answered $code"; kill "$pid"; return 1; fi
  timeout 300 taskset -c 1 h2load --h1 -n 20000 -c "$C" -d "$BODY" -H 'content-type: application/json' "http://127.0.0.1:$port/v1/sessions" > /dev/null
  local out
  out=$(timeout 300 taskset -c 1 h2load --h1 -n "$N" -c "$C" -d "$BODY" -H 'content-type: application/json' "http://127.0.0.1:$port/v1/sessions")
  echo "$out" | grep -q "status codes: $N 2xx" || { echo "$name: not every reply was 200"; echo "$out" | grep 'status codes'; kill "$pid"; return 1; }
  echo "$name: $(echo "$out" | grep -E '^finished in' | sed 's/.*, \([0-9.]*\) req\/s.*/\1/') req/s"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  if [ $((round % 2)) = 1 ]; then run before "$BEFORE" 50301; run after "$AFTER" 50401
  else run after "$AFTER" 50401; run before "$BEFORE" 50301; fi
done
