#!/usr/bin/env bash
# Makes a project with `dotnet new sessions-server` from this checkout's packages, as a user would from the released
# ones: the libraries and the template pack packed into WORK/feed with a version no other run uses (once per WORK),
# the template installed into WORK/hive, the project made in WORK/NAME with a nuget.config that takes Sessions.* from
# the feed only, keeps its packages in WORK/packages and may take everything else from the machine's package folder
# instead of downloading it again. The checkout's Directory.Build.props and central package versions stay out.
# Prints the project's folder. Build or publish it there with NUGET_PACKAGES unset (it would override nuget.config).
#
# Usage: templates/Sessions.Templates/new-project.sh WORK NAME [dotnet new options, e.g. --redis]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
work="$(mkdir -p "${1:?usage: new-project.sh WORK NAME [options]}" && cd "$1" && pwd)"
name="${2:?usage: new-project.sh WORK NAME [options]}"
shift 2

fallbacks=""
for folder in "${NUGET_PACKAGES:-}" "$HOME/.nuget/packages" /opt/nuget/packages; do
  if [[ -n "$folder" && -d "$folder" ]]; then
    fallbacks+="    <add key=\"machine${#fallbacks}\" value=\"$folder\" />"$'\n'
  fi
done
unset NUGET_PACKAGES

if [[ ! -d "$work/hive" ]]; then
  projects=""
  for dir in "$ROOT"/Sessions.*/; do
    dir="$(basename "$dir")"
    if [[ -f "$ROOT/$dir/$dir.csproj" ]]; then projects+="\"$dir/$dir.csproj\", "; fi
  done
  printf '{ "solution": { "path": "%s", "projects": [ %s"templates/Sessions.Templates/Sessions.Templates.csproj" ] } }' \
    "$ROOT/Sessions.sln" "$projects" >"$work/packages.slnf"
  suffix="local.$(date +%Y%m%d%H%M%S).$$"
  echo "== dotnet pack (libraries and template pack, version 1.0.0-$suffix)" >&2
  dotnet pack "$work/packages.slnf" -c Release -o "$work/feed" "-p:VersionSuffix=$suffix" -nodeReuse:false -nologo -v quiet >&2
  dotnet new install "$(ls "$work"/feed/Sessions.Templates.*.nupkg)" --debug:custom-hive "$work/hive" >/dev/null
fi

project="$work/$name"
rm -rf "$project"
mkdir -p "$project"
for file in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
  echo '<Project />' >"$project/$file"
done
cat >"$project/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <packageSources>
    <clear />
    <add key="feed" value="$work/feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="feed"><package pattern="Sessions.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
  <fallbackPackageFolders>
    <clear />
$fallbacks  </fallbackPackageFolders>
</configuration>
XML
(cd "$project" && dotnet new sessions-server --name SessionsServer --output . --debug:custom-hive "$work/hive" "$@" >/dev/null)
echo "$project"
