#!/usr/bin/env bash
# Coverage-guided fuzzing of the token validator with SharpFuzz and afl-fuzz (AFL++), bounded in time.
#
# Installs afl++ (apt) and SharpFuzz.CommandLine (a local dotnet tool) when missing, publishes fuzz/Sessions.Fuzz in
# Release, instruments Sessions.Jwt.dll and Sessions.Abstractions.dll, writes a seed corpus (valid tokens and
# mutations), then runs afl-fuzz once per mode, each for its share of FUZZ_SECONDS:
#   token  the input bytes are the token text
#   json   the input is header JSON, a line feed and payload JSON, signed with the right secret, so that every input
#          passes the signature check and reaches the claim parser
# A finding is any exception escaping Validate, or Session.Claims throwing for an accepted token. Crashing inputs are
# replayed at the end (stack trace and base64 input printed); the script exits 1 when there are any.
#
# Usage: fuzz/run.sh
# Environment (all optional):
#   FUZZ_SECONDS=300        total fuzzing time, shared by the modes
#   FUZZ_MODES="token json" which modes to run
#   FUZZ_OUT=fuzz/out       where the build, seeds and findings go (ignored by git)
#   FUZZ_TIMEOUT_MS=10000   afl-fuzz -t: a run longer than this is a hang (the .NET start is slow; SharpFuzz's advice)
#   FUZZ_CPU=1              the CPU afl-fuzz binds to (-b); empty to let it choose
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FUZZ_SECONDS="${FUZZ_SECONDS:-300}"
FUZZ_MODES="${FUZZ_MODES:-token json}"
FUZZ_OUT="${FUZZ_OUT:-$ROOT/fuzz/out}"
FUZZ_TIMEOUT_MS="${FUZZ_TIMEOUT_MS:-10000}"
FUZZ_CPU="${FUZZ_CPU-1}"
TOOLS="$ROOT/fuzz/.tools"
BIN="$FUZZ_OUT/bin"
PLAIN="$FUZZ_OUT/plain"

die() { echo "fuzz/run.sh: $*" >&2; exit 1; }

if ! command -v afl-fuzz >/dev/null; then
  echo "== Installing afl++"
  apt-get update -qq && apt-get install -y -qq afl++ >/dev/null
fi
if [[ ! -x "$TOOLS/sharpfuzz" ]]; then
  echo "== Installing SharpFuzz.CommandLine into $TOOLS"
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$TOOLS" >/dev/null
fi

echo "== Publishing fuzz/Sessions.Fuzz (Release)"
rm -rf "$BIN" "$PLAIN"
dotnet publish "$ROOT/fuzz/Sessions.Fuzz" -c Release -o "$BIN" -nologo -v quiet
# Instrumented code needs afl-fuzz's shared memory: seeds and replays run on an uninstrumented copy.
cp -r "$BIN" "$PLAIN"
for dll in Sessions.Jwt.dll Sessions.Abstractions.dll; do
  echo "== Instrumenting $dll"
  "$TOOLS/sharpfuzz" "$BIN/$dll"
done

# afl-fuzz runs `dotnet`, which is not instrumented itself: SharpFuzz reports coverage through the shared memory.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_TieredPGO=0

read -r -a modes <<<"$FUZZ_MODES"
share=$((FUZZ_SECONDS / ${#modes[@]}))
[[ $share -ge 10 ]] || die "FUZZ_SECONDS=$FUZZ_SECONDS is too short for ${#modes[@]} modes"
bind=(); [[ -n "$FUZZ_CPU" && "$FUZZ_CPU" -lt "$(nproc)" ]] && bind=(-b "$FUZZ_CPU")

total_execs=0 total_paths=0 total_crashes=0 total_hangs=0
for mode in "${modes[@]}"; do
  seeds="$FUZZ_OUT/seeds-$mode" findings="$FUZZ_OUT/findings-$mode"
  rm -rf "$seeds" "$findings"
  dotnet "$PLAIN/Sessions.Fuzz.dll" seeds "$mode" "$seeds"
  echo "== afl-fuzz, mode $mode, ${share}s"
  afl-fuzz -V "$share" "${bind[@]}" -i "$seeds" -o "$findings" -x "$ROOT/fuzz/jwt.dict" -t "$FUZZ_TIMEOUT_MS" -m none \
    -- dotnet "$BIN/Sessions.Fuzz.dll" fuzz "$mode" >"$FUZZ_OUT/afl-$mode.log" 2>&1 \
    || { tail -30 "$FUZZ_OUT/afl-$mode.log"; die "afl-fuzz failed in mode $mode"; }

  stats="$findings/default/fuzzer_stats"
  [[ -f "$stats" ]] || die "no $stats"
  stat() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
  execs=$(stat execs_done) paths=$(stat corpus_count) crashes=$(stat saved_crashes) hangs=$(stat saved_hangs)
  echo "   $mode: $execs executions, $(stat execs_per_sec) per second, $paths paths (corpus), $crashes crashes, $hangs hangs, stability $(stat stability)"
  total_execs=$((total_execs + execs)) total_paths=$((total_paths + paths))
  total_crashes=$((total_crashes + crashes)) total_hangs=$((total_hangs + hangs))
  if [[ "$crashes" != "0" ]]; then
    dotnet "$PLAIN/Sessions.Fuzz.dll" replay "$mode" "$findings/default/crashes" || true
  fi
done

echo "== Total: $total_execs executions, $total_paths paths, $total_crashes crashes, $total_hangs hangs in ${FUZZ_SECONDS}s"
[[ $total_crashes -eq 0 ]] || die "crashes found: see the replay above and $FUZZ_OUT/findings-*/default/crashes"
