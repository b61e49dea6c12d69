#!/usr/bin/env bash
# Builds the sample server's container image here, without Docker or a registry, runs it, and checks that it serves.
#
#   1. publishes the sample as Native AOT (skipped with PUBLISH_DIR=<an AOT publish>);
#   2. assembles the image's filesystem with assemble-rootfs.sh, the script the Dockerfile's build stage runs;
#   3. builds an image FROM scratch with buildah (--storage-driver vfs) whose instructions are those of the
#      Dockerfile's final stage (user, environment, ports, entry point), the tree copied in;
#   4. runs the image's filesystem as a container runtime would: a new PID and mount namespace with its own /proc
#      and the usual /dev nodes, chroot into it as uid/gid 1000, on 127.0.0.1;
#   5. Create, then Validate of the token it returned, then a server-reflection listing: each must answer with
#      grpc-status 0 (a missing OpenSSL library, configuration or module shows up here as a start-up failure); then
#      POST /v1/sessions on HTTP_PORT, which the AOT build answers with a 501 that explains it (JIT build only).
# Prints the image size. Everything it starts is stopped and everything it made is removed on exit.
#
# Usage: samples/Sessions.SampleServer/container/check-image.sh
# Environment: PUBLISH_DIR (publish first when unset), PORT (39131), STARTUP_TIMEOUT (60), KEEP_IMAGE=1,
#   REMOVE_FROM_IMAGE="usr/lib/x86_64-linux-gnu/libssl.so.3 ..." deletes paths from the tree before the build (to
#   see the check fail as an image missing them would).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT="${PORT:-39131}"
export PORT
# shellcheck source=../../../benchmarks/load/common.sh
source "$HERE/../../../benchmarks/load/common.sh"
HTTP_PORT_LOCAL=$((PORT + 1))
IMAGE="localhost/sessions-server:check-$$"
BUILDAH=(buildah --storage-driver vfs)
CONTAINER=""

cleanup() {
  # The server is in the process group setsid made (chroot --userspec drops unshare's --kill-child signal).
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 -- "-$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
  fi
  stop_server
  if [[ -n "$CONTAINER" ]]; then
    "${BUILDAH[@]}" umount "$CONTAINER" >/dev/null 2>&1 || true
    "${BUILDAH[@]}" rm "$CONTAINER" >/dev/null 2>&1 || true
  fi
  [[ -n "${KEEP_IMAGE:-}" ]] || "${BUILDAH[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

need() { # command package
  command -v "$1" >/dev/null 2>&1 && return
  echo "== installing $2"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
}
need buildah buildah
need unshare util-linux
need curl curl
need python3 python3

if [[ -z "${PUBLISH_DIR:-}" ]]; then
  "$HERE/publish-aot.sh" "$WORK/publish"
  PUBLISH_DIR="$WORK/publish"
fi

echo "== assembling the image's filesystem"
"$HERE/assemble-rootfs.sh" "$PUBLISH_DIR" "$WORK/context/rootfs"
for path in ${REMOVE_FROM_IMAGE:-}; do
  echo "   removing /$path (REMOVE_FROM_IMAGE)"
  rm -rf "${WORK:?}/context/rootfs/${path#/}"
done

# The final stage of the Dockerfile, with the tree assembled here in place of the build stage's.
dockerfile="$HERE/../Dockerfile"
{
  echo "FROM scratch"
  echo "COPY rootfs/ /"
  sed -n '/^FROM scratch/,$p' "$dockerfile" | sed '1d; /^COPY --from=/d'
} >"$WORK/context/Containerfile"
grep -q '^USER 1000:1000' "$WORK/context/Containerfile" || die "the Dockerfile's final stage does not run as USER 1000:1000"

echo "== buildah build (vfs, FROM scratch)"
"${BUILDAH[@]}" build --quiet --format docker --layers=false -t "$IMAGE" -f "$WORK/context/Containerfile" "$WORK/context" >/dev/null
size="$("${BUILDAH[@]}" images --format '{{.Size}}' "$IMAGE" | head -1)"
echo "   image $IMAGE: $size"

CONTAINER="$("${BUILDAH[@]}" from --quiet "$IMAGE")"
ROOT="$("${BUILDAH[@]}" mount "$CONTAINER")"
user="$("${BUILDAH[@]}" inspect --format '{{.OCIv1.Config.User}}' "$IMAGE")"
entrypoint="$("${BUILDAH[@]}" inspect --format '{{index .OCIv1.Config.Entrypoint 0}}' "$IMAGE")"
echo "   user $user, entry point $entrypoint, $(find "$ROOT" -type f | wc -l) files"
[[ "$user" == "1000:1000" ]] || die "the image runs as '$user', not 1000:1000"

echo "== running the image's filesystem as uid 1000 on 127.0.0.1:$PORT"
# A container runtime gives the process /proc and the usual /dev nodes (.NET reads /dev/urandom for Guid.NewGuid);
# the image itself brings nothing else.
setsid env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin PORT="$PORT" HTTP_PORT="$HTTP_PORT_LOCAL" LISTEN_ADDRESS=127.0.0.1 JWT_SECRET="$SECRET" \
  unshare --pid --fork --kill-child --mount --mount-proc="$ROOT/proc" \
  sh -c 'root="$1"; shift
         for node in null zero random urandom; do
           touch "$root/dev/$node" && mount --bind "/dev/$node" "$root/dev/$node" || exit 1
         done
         exec chroot --userspec=1000:1000 "$root" "$@"' sh "$ROOT" "$entrypoint" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

wait_for_create "$WORK/server.log"
echo "   Create: grpc-status 0"

TOKEN="$(token_of_reply "$WORK/create.reply")"
grpc_body "$TOKEN" "$WORK/validate.bin"
status="$(grpc_call Validate "$WORK/validate.bin" "$WORK/validate.reply")"
[[ "$status" == "0" ]] || { cat "$WORK/server.log" >&2; die "Validate of the token Create returned: grpc-status $status"; }
echo "   Validate: grpc-status 0"

# grpc.reflection.v1.ServerReflection/ServerReflectionInfo with list_services (field 7, empty): what grpcurl asks.
printf '\x00\x00\x00\x00\x02\x3a\x00' >"$WORK/reflection.bin"
BASE_SAVED="$BASE"; BASE="http://127.0.0.1:$PORT"
status="$(curl -sS -v --http2-prior-knowledge --max-time 10 -X POST -H 'content-type: application/grpc' -H 'te: trailers' \
  --data-binary @"$WORK/reflection.bin" -o "$WORK/reflection.reply" "$BASE/grpc.reflection.v1.ServerReflection/ServerReflectionInfo" 2>&1 \
  | grep -i '^< grpc-status:' | tail -1 | tr -d '\r' | awk '{print $3}')"
BASE="$BASE_SAVED"
[[ "$status" == "0" ]] && grep -q "sessions.Sessions" "$WORK/reflection.reply" \
  || { cat "$WORK/server.log" >&2; die "server reflection did not list sessions.Sessions (grpc-status ${status:-none})"; }
echo "   reflection: lists sessions.Sessions"

# JSON over HTTP/1.1 on HTTP_PORT is in the JIT build only (SampleJsonTranscoding.cs): the AOT image must say so with
# a 501, not a bare 404.
http_status="$(curl -sS --max-time 10 -o "$WORK/json.reply" -w '%{http_code}' -H 'content-type: application/json' \
  -d "{\"user_id\":\"$USER_ID\"}" "http://127.0.0.1:$HTTP_PORT_LOCAL/v1/sessions")"
[[ "$http_status" == "501" ]] && grep -q "not in the Native AOT build" "$WORK/json.reply" \
  || { cat "$WORK/server.log" "$WORK/json.reply" >&2; die "POST /v1/sessions on HTTP_PORT: $http_status, not the 501 that explains the AOT build"; }
echo "   POST /v1/sessions on HTTP_PORT: 501, JSON over HTTP is in the JIT build only"

if grep -qi "exception" "$WORK/server.log"; then
  cat "$WORK/server.log" >&2
  die "the server logged an exception"
fi
echo "== the image serves: $size"
