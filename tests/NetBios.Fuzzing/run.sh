#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with AFL++ and SharpFuzz (not part of CI: CI replays corpus-seed/ and
# random mutations of it through the same targets in tests/NetBios.Tests/Fuzzing).
#   tests/NetBios.Fuzzing/run.sh nbns 600        # target (name|nbns|nbds|nbss|ncb), seconds
# Needs: afl++ (apt-get install afl++) and the sharpfuzz tool (installed here on first use).
# Findings go to tests/NetBios.Fuzzing/findings/TARGET/ (crashes/ holds inputs that broke an invariant).
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: run.sh TARGET [SECONDS]}
seconds=${2:-600}
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine >/dev/null
rm -rf out                                                   # a fresh, not yet instrumented copy
dotnet publish -c Release -o out --nologo -v q
sharpfuzz out/NetBios.dll                                   # instrument the library under test
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
mkdir -p findings
timeout --preserve-status "$seconds" afl-fuzz -i "corpus-seed/$target" -o "findings/$target" -t 10000 -m none -- dotnet out/nbfuzz.dll "$target" || true
echo "== findings/$target: $(ls "findings/$target/default/crashes" 2>/dev/null | grep -vc README || true) crash input(s)"
