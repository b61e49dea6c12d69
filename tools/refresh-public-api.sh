#!/usr/bin/env bash
# Brings each library's PublicAPI.Unshipped.txt in line with its public surface, after a deliberate API change:
# adds what the build reports as undeclared (RS0016), removes what it reports as gone (RS0017). It reads the
# analyzer's own messages, so it also covers the protobuf-generated types of Sessions.Grpc.Client, which
# `dotnet format analyzers --diagnostics RS0016` skips (it does not fix generated code).
# Usage: tools/refresh-public-api.sh   then review: git diff -- '*/PublicAPI.*.txt'
set -euo pipefail
cd "$(dirname "$0")/.."

projects=()
for project in Sessions.*/Sessions.*.csproj; do
  dir=$(dirname "$project")
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$file" ] || printf '#nullable enable\n' > "$dir/$file"
  done
  projects+=("$project")
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for project in "${projects[@]}"; do
  # Warnings stay warnings here so that every project builds and reports all of its symbols.
  dotnet build "$project" -p:TreatWarningsAsErrors=false -nologo -v quiet -clp:NoSummary >> "$log" 2>&1 || true
done

python3 - "$log" <<'PY'
import os, re, sys
added, removed = {}, {}
pattern = re.compile(r"(?:warning|error) (RS0016|RS0017): Symbol '(.+)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[(.+\.csproj)")
for line in open(sys.argv[1], encoding="utf-8"):
    m = pattern.search(line)
    if m:
        rule, symbol, project = m.groups()
        (added if rule == "RS0016" else removed).setdefault(os.path.dirname(project), set()).add(symbol)
for directory in sorted(set(added) | set(removed)):
    path = os.path.join(directory, "PublicAPI.Unshipped.txt")
    lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l and l != "#nullable enable"]
    body = (set(lines) | added.get(directory, set())) - removed.get(directory, set())
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("#nullable enable\n" + "".join(l + "\n" for l in sorted(body, key=lambda s: (s.lstrip("~"), s))))
    print(f"{path}: +{len(added.get(directory, ()))} -{len(removed.get(directory, ()))}")
PY
# RS0017 for a symbol in PublicAPI.Shipped.txt means a breaking change: the script does not edit shipped files.
