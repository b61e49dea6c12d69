#!/usr/bin/env bash
# Soak test: one million calls (N Create, then N Validate) through h2load against the sample server on 127.0.0.1,
# with zero errors. h2load sees HTTP statuses, not gRPC trailers, so every run is checked three ways: h2load's
# succeeded/failed/errored counts, a sample of calls with curl (which reads grpc-status) before and after, and the
# server log (any unexpected failure is logged at Error). Reports the server's RSS before and after.
#
# Usage: benchmarks/load/soak.sh
# Environment (optional): N=500000 per method, C=16 clients, M=16 streams each, H2LOAD_TIMEOUT=600 seconds per run,
# SERVER_CPU=0 CLIENT_CPU=1, PORT, SKIP_BUILD=1, and those of common.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N="${N:-500000}" C="${C:-16}" M="${M:-16}" H2LOAD_TIMEOUT="${H2LOAD_TIMEOUT:-600}"
read -r -a SERVER_PIN <<<"$(pin "${SERVER_CPU:-0}")"
read -r -a CLIENT_PIN <<<"$(pin "${CLIENT_CPU:-1}")"

need_tools
build_server
start_server "${SERVER_PIN[@]}"
echo "== Server on $BASE (pid $SERVER_PID), RSS before: $(rss_kib) KiB"
check_sample "before" 5
rss_before=$(rss_kib)

total=0
for method in Create Validate; do
  body="$WORK/create.bin"; [[ $method == Validate ]] && body="$WORK/validate.bin"
  echo "== $method: h2load -n $N -c $C -m $M"
  "${CLIENT_PIN[@]}" timeout "$H2LOAD_TIMEOUT" h2load -n "$N" -c "$C" -m "$M" -d "$body" \
    -H 'content-type: application/grpc' -H 'te: trailers' "$BASE/sessions.Sessions/$method" >"$WORK/$method.out" \
    || { cat "$WORK/$method.out"; die "$method: h2load failed or ran past ${H2LOAD_TIMEOUT}s"; }
  grep -E '^(finished in|requests:|status codes:)' "$WORK/$method.out" | sed 's/^/   /'
  grep -qE "requests: $N total, $N started, $N done, $N succeeded, 0 failed, 0 errored, 0 timeout" "$WORK/$method.out" \
    || die "$method: not every request succeeded"
  total=$((total + N))
done

check_sample "after" 5
rss_after=$(rss_kib)
errors=$(grep -cE 'fail|crit|Exception' "$WORK/server.log" || true)
echo "== Soak: $total calls served, 0 h2load errors, $errors error lines in the server log; RSS ${rss_before} KiB before, ${rss_after} KiB after"
[[ $errors -eq 0 ]] || { grep -E 'fail|crit|Exception' "$WORK/server.log" | head -20; die "the server logged errors"; }
