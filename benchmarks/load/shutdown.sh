#!/usr/bin/env bash
# Graceful shutdown under load: starts an h2load run against the sample server on 127.0.0.1, sends SIGTERM to the
# server in the middle of it, and checks that
#   - the server exits with code 0 within the drain time (Program.ShutdownTimeout, 30 s) plus a margin,
#   - every call the server handled reached the client: the server logs one line per call (its own category at
#     Information), and the number of Validate calls it logged equals the number of HTTP 200 replies h2load received
#     (plus the curl samples); streams that got no reply (h2load status -1) are those the server refused with GOAWAY
#     before handling them (never processed, so safe to send again; the .NET gRPC client reports them as Internal),
#   - the server logged no error,
#   - once stopped, a new connection is refused (curl exit code 7) rather than hanging.
# Requests h2load had not yet sent are refused with GOAWAY or a refused connection and counted as "errored": that is
# the expected way for new calls to be turned away.
#
# Usage: benchmarks/load/shutdown.sh
# Environment (optional): N=400000 requests, C=16, M=16, SIGTERM_AFTER=3 seconds, DRAIN_LIMIT=35 seconds, PORT,
# SKIP_BUILD=1, and those of common.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N="${N:-400000}" C="${C:-16}" M="${M:-16}" SIGTERM_AFTER="${SIGTERM_AFTER:-3}" DRAIN_LIMIT="${DRAIN_LIMIT:-35}"

need_tools
echo "== work folder: $WORK"
build_server
start_server env Logging__LogLevel__Sessions.Grpc.SessionsService=Information
check_sample "before" 2

echo "== h2load -n $N -c $C -m $M on Validate; SIGTERM after ${SIGTERM_AFTER}s"
timeout 120 h2load -n "$N" -c "$C" -m "$M" -d "$WORK/validate.bin" -H 'content-type: application/grpc' -H 'te: trailers' \
  --log-file="$WORK/h2load.log" "$BASE/sessions.Sessions/Validate" >"$WORK/h2load.out" 2>&1 &
load_pid=$!
sleep "$SIGTERM_AFTER"
kill -0 "$load_pid" 2>/dev/null || die "the load ended before SIGTERM: raise N"
kill -TERM "$SERVER_PID"
sent=$SECONDS
code=0
wait "$SERVER_PID" || code=$?
exit_seconds=$((SECONDS - sent))
SERVER_PID=""
wait "$load_pid" || true

grep -E '^(finished in|requests:|status codes:)' "$WORK/h2load.out" | sed 's/^/   /'
ok=$(awk '$2 == 200' "$WORK/h2load.log" | wc -l)
unanswered=$(awk '$2 == -1' "$WORK/h2load.log" | wc -l)
other=$(awk '$2 != 200 && $2 != -1' "$WORK/h2load.log" | wc -l)
handled=$(($(grep -c 'Sessions.Validate valid' "$WORK/server.log" || true) - 2))
errors=$(grep -cE 'fail:|crit:|Exception' "$WORK/server.log" || true)
set +e
curl -sS --http2-prior-knowledge --max-time 5 -o /dev/null "$BASE/" 2>/dev/null
curl_code=$?
set -e

echo "== Shutdown: exit code $code after ${exit_seconds}s; the server handled $handled Validate calls under load and" \
  "h2load received $ok HTTP 200 replies ($unanswered streams refused unhandled, $other other);" \
  "$errors error lines in the server log; a new connection afterwards: curl exit $curl_code (7 = refused)"
[[ $code -eq 0 ]] || { tail -20 "$WORK/server.log"; die "the server exited with $code"; }
[[ $exit_seconds -le $DRAIN_LIMIT ]] || die "the server took ${exit_seconds}s to stop"
[[ $handled -eq $ok && $other -eq 0 ]] || die "calls the server handled did not all reach the client"
[[ $errors -eq 0 ]] || { grep -E 'fail:|crit:|Exception' "$WORK/server.log" | head; die "the server logged errors"; }
[[ $curl_code -eq 7 ]] || die "a new connection was not refused (curl exit $curl_code)"
