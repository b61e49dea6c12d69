#!/usr/bin/env bash
# Publishes the server `dotnet new sessions-server` makes as its Dockerfile's build stage does, runs what its final
# stage keeps, and checks that it serves:
#
#   1. for the template without and with --redis: `dotnet new sessions-server` from this checkout's packages
#      (new-project.sh), then the Dockerfile's `dotnet publish SessionsServer.csproj -c Release -r linux-x64` (Native AOT), which must report no
#      trim or AOT warning;
#   2. copies what the Dockerfile's final stage copies (SessionsServer and appsettings.json, nothing else) into a folder
#      of its own and starts it there with an empty environment but for the settings the image and the README give,
#      on 127.0.0.1 (--redis: the Redis on 127.0.0.1:6379);
#   3. started without Sessions__Secret, it must stop with exit code 1 and the one line that names the setting; started
#      without Sessions__ApiKey, the same with the line that names that one;
#   4. Create without the key must be refused with grpc-status 16 (Unauthenticated); Create with it, then Validate of
#      the token it returned: both must end with grpc-status 0; the server must write its line per call in the
#      template's log format and log no exception.
# Prints the executable's size. Everything it starts is stopped and everything it made is removed on exit.
# The image itself (the chiseled runtime-deps base) cannot be pulled here; samples/Sessions.SampleServer/container/
# check-image.sh proves the sample's.
#
# Usage: templates/Sessions.Templates/check-aot.sh
# Environment: PORT (39151), STARTUP_TIMEOUT (60), REDIS (127.0.0.1:6379).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${PORT:-39151}"
export PORT
# shellcheck source=../../benchmarks/load/common.sh
source "$HERE/../../benchmarks/load/common.sh"
REDIS="${REDIS:-127.0.0.1:6379}"
# The template's server requires Sessions__ApiKey; common.sh's grpc_call sends API_KEY as x-api-key.
CHECK_API_KEY="check-aot-api-key-0123456789abcdef-0123456789"
export API_KEY="$CHECK_API_KEY"

if ! command -v clang >/dev/null 2>&1 || [[ ! -e /usr/include/zlib.h ]]; then
  echo "== installing clang and zlib1g-dev (the Native AOT linker)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq clang zlib1g-dev >/dev/null
fi

check() { # name [dotnet new options...]
  local name="$1" project app="$WORK/$1-app"
  shift
  echo "== dotnet new sessions-server $* ($name)"
  project="$("$HERE/new-project.sh" "$WORK/projects" "$name" "$@")"
  mkdir -p "$app"
  local publish_command
  publish_command="$(grep -o 'dotnet publish [^&]*' "$project/Dockerfile" | head -1)"
  [[ "$publish_command" == "dotnet publish SessionsServer.csproj -c Release -r linux-x64 -o /app" ]] \
    || die "the template's Dockerfile publishes with '$publish_command'; this check runs 'dotnet publish SessionsServer.csproj -c Release -r linux-x64'"
  echo "   dotnet publish SessionsServer.csproj -c Release -r linux-x64 (Native AOT, a few minutes)"
  local start=$SECONDS
  (cd "$project" && env -u NUGET_PACKAGES dotnet publish SessionsServer.csproj -c Release -r linux-x64 -o "$WORK/$name-publish" -nologo) >"$WORK/$name-publish.log" 2>&1 \
    || { tail -30 "$WORK/$name-publish.log" >&2; die "$name: dotnet publish failed"; }
  if grep -E "warning (IL|AOT)[0-9]+" "$WORK/$name-publish.log" >&2; then
    die "$name: the Native AOT publish reported trim or AOT warnings (above)"
  fi
  [[ -x "$WORK/$name-publish/SessionsServer" ]] || die "$name: no native executable SessionsServer in the publish output"
  echo "   published in $((SECONDS - start)) s: $(du -k "$WORK/$name-publish/SessionsServer" | cut -f1) KiB executable"

  # What the final stage copies, and only that: a file the server needs but the image leaves out fails here.
  grep -q '^COPY --from=build /app/SessionsServer /app/appsettings.json ./$' "$project/Dockerfile" \
    || die "$name: the Dockerfile's final stage no longer copies exactly SessionsServer and appsettings.json; update this check"
  cp "$WORK/$name-publish/SessionsServer" "$WORK/$name-publish/appsettings.json" "$app/"

  # Without its secret the executable stops before it listens: exit code 1, one line naming the setting.
  local endpoints=("Kestrel__Endpoints__Grpc__Url=http://127.0.0.1:$PORT" "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$((PORT + 1))")
  local code=0
  (cd "$app" && exec env -i PATH=/usr/bin:/bin "${endpoints[@]}" timeout 30 ./SessionsServer) >"$WORK/$name-refused.log" 2>&1 || code=$?
  [[ "$code" == "1" && "$(grep -c . "$WORK/$name-refused.log")" == "1" ]] \
    && grep -q '^SessionsServer cannot start: Sessions:Secret is not set\.' "$WORK/$name-refused.log" \
    || { cat "$WORK/$name-refused.log" >&2; die "$name: without Sessions__Secret the server exited with $code, not with the one line that names the setting"; }
  echo "   without Sessions__Secret: exit code 1, $(cut -c1-80 "$WORK/$name-refused.log")..."
  code=0
  (cd "$app" && exec env -i PATH=/usr/bin:/bin "Sessions__Secret=$SECRET" "${endpoints[@]}" timeout 30 ./SessionsServer) >"$WORK/$name-no-key.log" 2>&1 || code=$?
  [[ "$code" == "1" && "$(grep -c . "$WORK/$name-no-key.log")" == "1" ]] \
    && grep -q '^SessionsServer cannot start: Sessions:ApiKey is not set' "$WORK/$name-no-key.log" \
    || { cat "$WORK/$name-no-key.log" >&2; die "$name: without Sessions__ApiKey the server exited with $code, not with the one line that names the setting"; }
  echo "   without Sessions__ApiKey: exit code 1, $(cut -c1-80 "$WORK/$name-no-key.log")..."

  local settings=(PATH=/usr/bin:/bin "Sessions__Secret=$SECRET" "Sessions__ApiKey=$CHECK_API_KEY" "${endpoints[@]}")
  if [[ "$name" == *redis* ]]; then settings+=("Sessions__Redis__Configuration=$REDIS"); fi
  (cd "$app" && exec env -i "${settings[@]}" ./SessionsServer) >"$WORK/$name-server.log" 2>&1 &
  SERVER_PID=$!
  wait_for_create "$WORK/$name-server.log"
  echo "   Create with the key: grpc-status 0"
  local status
  status="$(API_KEY="" grpc_call Create "$WORK/create.bin" "$WORK/refused.reply")"
  [[ "$status" == "16" ]] || { cat "$WORK/$name-server.log" >&2; die "$name: Create without the x-api-key metadata: grpc-status $status, not 16 (Unauthenticated)"; }
  echo "   Create without it: grpc-status 16"
  grpc_body "$(token_of_reply "$WORK/create.reply")" "$WORK/validate.bin"
  status="$(grpc_call Validate "$WORK/validate.bin" "$WORK/validate.reply")"
  [[ "$status" == "0" ]] || { cat "$WORK/$name-server.log" >&2; die "$name: Validate of the token Create returned: grpc-status $status"; }
  echo "   Validate: grpc-status 0"

  # The template's line: an ISO 8601 UTC time, the short level, the category, the message.
  local line='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z INF Sessions\.Grpc\.SessionsService: Sessions\.Validate valid session='
  for _ in $(seq 50); do grep -Eq "$line" "$WORK/$name-server.log" && break; sleep 0.1; done
  grep -Eq "$line" "$WORK/$name-server.log" || { cat "$WORK/$name-server.log" >&2; die "$name: no log line for the Validate call in the template's format"; }
  echo "   log: $(grep -E "$line" "$WORK/$name-server.log" | tail -1 | cut -c1-110)..."
  if grep -qiE "exception|fail:| ERR | CRI " "$WORK/$name-server.log"; then
    cat "$WORK/$name-server.log" >&2
    die "$name: the server logged an error"
  fi
  stop_server
  SERVER_PID=""
}

check memory
check redis --redis
echo "== the template's Native AOT server serves, without and with --redis"
