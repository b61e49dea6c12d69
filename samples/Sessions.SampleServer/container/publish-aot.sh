#!/usr/bin/env bash
# Publishes the sample server as Native AOT for linux-x64 into OUTPUT_DIR, installing the native toolchain the
# ILCompiler needs (clang, zlib) when it is missing.
# Usage: publish-aot.sh OUTPUT_DIR
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: publish-aot.sh OUTPUT_DIR}"
if ! command -v clang >/dev/null 2>&1 || [[ ! -e /usr/include/zlib.h ]]; then
  echo "== installing clang and zlib1g-dev (the Native AOT linker)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq clang zlib1g-dev >/dev/null
fi
echo "== dotnet publish -c Release -r linux-x64 -p:PublishAot=true (a few minutes)"
start=$SECONDS
dotnet publish "$HERE/.." -c Release -r linux-x64 -p:PublishAot=true -o "$out" -nologo -v quiet
echo "   published in $((SECONDS - start)) s: $(du -k "$out/Sessions.SampleServer" | cut -f1) KiB binary"
