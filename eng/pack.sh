#!/usr/bin/env bash
# Packs every package of the repository — each project under src/ that does not set IsPackable=false (NetBios,
# NetBios.Testing, the name-server stores, the nbt tool, and projects added later) — into one folder, with their
# symbol packages (.snupkg):
#
#     eng/pack.sh OUT_DIR [extra dotnet pack arguments, e.g. -p:VersionPrefix=1.2.3]
#
# Builds in Release under OUT_DIR/artifacts (--artifacts-path), so the work tree's bin/ and obj/ are not touched and a
# test run can pack while another build runs. With CI=true the build is deterministic (ContinuousIntegrationBuild,
# see Directory.Build.props). Install the tool from the result with
#
#     dotnet tool install nbt --tool-path DIR --add-source OUT_DIR/packages --version VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="${1:?usage: eng/pack.sh OUT_DIR [dotnet pack arguments]}"
shift
mkdir -p "$out"
rm -rf "$out/packages" # only what this run packs
out="$(cd "$out" && pwd)"

# One solution of the packable projects, packed by one `dotnet pack`: one restore, one build graph (in parallel).
solution="$out/packages.slnx"
{
  echo '<Solution>'
  for project in $(find src -mindepth 2 -maxdepth 2 -name '*.csproj' | sort); do
    if grep -q '<IsPackable>false</IsPackable>' "$project"; then
      continue
    fi
    echo "  <Project Path=\"$(realpath --relative-to="$out" "$project")\" />"
  done
  echo '</Solution>'
} > "$solution"
cat "$solution"
dotnet pack "$solution" -c Release --artifacts-path "$out/artifacts" -o "$out/packages" -nologo -tl:off -clp:ErrorsOnly "$@"
ls -1 "$out/packages"
