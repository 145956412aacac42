#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of every project that tracks its public API (the folders under src/ holding a
# PublicAPI.Shipped.txt; their csproj sets TrackPublicApi=true, see src/Directory.Build.props) from what the compiler
# says, then rebuilds them as CI does to confirm 0 warnings. Run it after merging branches that change the public API:
#
#     eng/update-public-api.sh
#
# How: each tracked project is rebuilt (--no-incremental, so the analyzers run) with warnings left as warnings. Then
# Microsoft.CodeAnalysis.PublicApiAnalyzers reports
#   RS0016  "Symbol '<line>' is not part of the declared public API": <line> is exactly the entry to add;
#   RS0017  "Symbol '<line>' is part of the declared API, but is either not public or could not be found": an entry
#           of the file it points at that no longer exists.
# The Unshipped file becomes: its entries, less the RS0017 ones, plus the RS0016 ones, sorted (ordinal) under the
# '#nullable enable' header. PublicAPI.Shipped.txt is never rewritten: an RS0017 there means a shipped API was removed
# (a breaking change), and the script stops; if that is intended, add '*REMOVED*<line>' to Unshipped.txt by hand.
# Idempotent: with nothing to change it rewrites nothing and the confirming build passes.
#
# Why not `dotnet format analyzers <csproj> --diagnostics RS0016 --severity warn`: it works offline, but only adds
# entries (there is no code fix that removes RS0017 ones) and only for the project named, so a renamed or deleted API
# would still need editing by hand. This script needs nothing but the SDK, coreutils, grep and sed.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 LC_ALL=C

mapfile -t dirs < <(find src -name PublicAPI.Shipped.txt -printf '%h\n' | sort)
if [ "${#dirs[@]}" -eq 0 ]; then
  echo "update-public-api: no src/**/PublicAPI.Shipped.txt found" >&2
  exit 1
fi

projects=()
for dir in "${dirs[@]}"; do
  csproj=$(find "$dir" -maxdepth 1 -name '*.csproj' | head -n 1)
  [ -n "$csproj" ] || { echo "update-public-api: no csproj in $dir" >&2; exit 1; }
  projects+=("$csproj")
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -s "$dir/$file" ] || printf '#nullable enable\n' > "$dir/$file"
  done
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. Build with the API rules as plain warnings, so every tracked project compiles and reports all of them.
: > "$work/build.log"
for csproj in "${projects[@]}"; do
  echo "== analysing $csproj"
  if ! dotnet build "$csproj" --no-incremental -tl:off -nologo -clp:NoSummary \
      -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= >> "$work/build.log" 2>&1; then
    grep -E ': error ' "$work/build.log" | sort -u >&2 || tail -n 40 "$work/build.log" >&2
    echo "update-public-api: $csproj does not build; fix that first" >&2
    exit 1
  fi
done

# 2. Collect "<project dir><TAB><line>" for entries to add and "<api file><TAB><line>" for entries to remove.
sed -nE "s/^.*warning RS0016: Symbol '(.*)' is not part of the declared public API.*\[([^][]*\.csproj)[^][]*\]\$/\2\t\1/p" \
  "$work/build.log" | sed -E 's#/[^/]*\.csproj\t#\t#' | sort -u > "$work/add"
sed -nE "s/^(.*PublicAPI\.(Shipped|Unshipped)\.txt)\([0-9,]*\): warning RS0017: Symbol '(.*)' is part of the declared API, but is either not public or could not be found.*\$/\1\t\3/p" \
  "$work/build.log" | sort -u > "$work/remove"

if grep -q 'PublicAPI\.Shipped\.txt' "$work/remove"; then
  echo "update-public-api: shipped APIs were removed (a breaking change); not rewriting Shipped.txt:" >&2
  grep 'PublicAPI\.Shipped\.txt' "$work/remove" | cut -f2- | sed 's/^/  /' >&2
  echo "If that is intended, add '*REMOVED*<line>' entries to PublicAPI.Unshipped.txt by hand." >&2
  exit 1
fi

# 3. Rewrite each Unshipped file: kept entries + added ones, sorted, one header.
for dir in "${dirs[@]}"; do
  file="$dir/PublicAPI.Unshipped.txt"
  abs_dir=$(cd "$dir" && pwd -P)  # physical, as the compiler reports paths
  abs_file="$abs_dir/PublicAPI.Unshipped.txt"
  awk -F '\t' -v f="$abs_file" '$1 == f { print substr($0, length($1) + 2) }' "$work/remove" > "$work/gone"
  awk -F '\t' -v d="$abs_dir" '$1 == d { print substr($0, length($1) + 2) }' "$work/add" > "$work/new"
  {
    grep -v -x -e '#nullable enable' -e '' "$file" | grep -v -x -F -f "$work/gone" || true
    cat "$work/new"
  } | sort -u > "$work/entries"
  { printf '#nullable enable\n'; cat "$work/entries"; } > "$work/result"
  if cmp -s "$work/result" "$file"; then
    echo "== $file: unchanged ($(wc -l < "$work/entries") entries)"
  else
    echo "== $file: +$(wc -l < "$work/new") -$(wc -l < "$work/gone") → $(wc -l < "$work/entries") entries"
    cp "$work/result" "$file"
  fi
done

# 4. Confirm: the tracked projects build as CI builds them (warnings are errors), with no warning at all.
for csproj in "${projects[@]}"; do
  echo "== confirming $csproj"
  if ! dotnet build "$csproj" --no-incremental -tl:off -nologo -clp:NoSummary > "$work/confirm.log" 2>&1 \
      || grep -qE ': (warning|error) ' "$work/confirm.log"; then
    grep -E ': (warning|error) ' "$work/confirm.log" | sort -u >&2 || tail -n 40 "$work/confirm.log" >&2
    echo "update-public-api: $csproj still reports diagnostics (see above)" >&2
    exit 1
  fi
done
echo "update-public-api: done"
