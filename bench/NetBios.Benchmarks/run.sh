#!/usr/bin/env bash
# Runs the benchmarks in Release; extra arguments go to BenchmarkDotNet (e.g. --filter '*Name*').
set -euo pipefail
cd "$(dirname "$0")"
exec dotnet run -c Release -- "${@:---filter=*}"
