#!/usr/bin/env bash
# Issue 18, sessions: every session figure beside its raw-TCP anchor, with the ratios, in one command.
#
#   bench/sessions-vs-raw.sh [ROUND_MS=300] [ROUNDS=5]
#     SIZES=64,4096,65536   message sizes of the table
#     IDLE=100000           idle sessions to open (0: skip that part)
#     NO_BUILD=1            use the Release build already there
#     SKIP_TABLE=1          only the idle sessions
#     SESSIONS_VS_RAW_ONLY=throughput   one kind of row only (profiling: perf stat / perf record / strace)
#     SESSIONS_VS_RAW_SIDE=session      that side (raw or session) in both columns (counts a whole process as one path)
#
# Part 1 (`NetBios.Benchmarks sessions-vs-raw`): throughput (4 MiB one way per operation), round trip to an echo
# loop, and one flow playing both ends (ping-pong), session vs raw TCP sockets on loopback; each row alternates rounds
# of raw and session and prints the medians, session/raw (throughput: % of raw; times: multiple of raw) and the bytes
# allocated per message (all threads). Goals: throughput >= 100 %, round trip <= 1.10x, ping-pong <= 1.5x, <= 100 B/msg.
#
# Part 2 (`NetBios.Benchmarks idle N`): N idle sessions over loopback, the listening end in one process and the calling
# end in a child, then RSS, managed heap and threads of each end and the time to open them. The descriptor limit
# is raised to 250 000 when the process may (root with CAP_SYS_RESOURCE); where it may not, N is split over as many
# listener/caller pairs of processes as the limit needs, run at the same time, and the figures are summed per end.
# Then (`NetBios.Benchmarks idle-memory N`) both ends of N sessions in one process over the in-memory network: the
# whole stack at that scale in one process, whatever the descriptor limit, minus the sockets themselves.
#
# Loopback only (127.0.0.1), nothing outside the machine; bounded in time (each part under `timeout`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUND_MS=${1:-300}
ROUNDS=${2:-5}
SIZES=${SIZES:-64,4096,65536}
IDLE=${IDLE:-100000}
DLL=bench/NetBios.Benchmarks/bin/Release/net10.0/NetBios.Benchmarks.dll
TMP=$(mktemp -d /tmp/sessions-vs-raw.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

if [[ -z "${NO_BUILD:-}" ]]; then
  dotnet build -c Release bench/NetBios.Benchmarks -v q -nologo >"$TMP/build.log" 2>&1 || { cat "$TMP/build.log"; exit 1; }
fi

echo "## Sessions vs raw TCP ($(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo
if [[ -z "${SKIP_TABLE:-}" ]]; then
  timeout 900 dotnet "$DLL" sessions-vs-raw "$ROUND_MS" "$ROUNDS" "$SIZES"
fi

if [[ "$IDLE" -gt 0 ]]; then
  ulimit -n 250000 2>/dev/null || true
  limit=$(ulimit -n)
  per=$(( limit - 500 ))
  (( per > IDLE )) && per=$IDLE
  procs=$(( (IDLE + per - 1) / per ))
  echo
  echo "## $IDLE idle sessions (descriptor limit $limit per process: $procs listening + $procs calling process(es))"
  echo
  left=$IDLE
  for ((i = 0; i < procs; i++)); do
    n=$(( left / (procs - i) ))
    left=$(( left - n ))
    timeout 900 dotnet "$DLL" idle "$n" >"$TMP/idle.$i" 2>&1 &
    PIDS+=($!)
  done
  failed=0
  for p in "${PIDS[@]}"; do wait "$p" || failed=1; done
  PIDS=()
  for ((i = 0; i < procs; i++)); do grep -v '^   at ' "$TMP/idle.$i" | sed 's/^/    /'; done
  if [[ $failed -ne 0 ]]; then
    echo "an idle-session run failed (see above)"
    exit 1
  fi
  cat "$TMP"/idle.* | awk -v total="$IDLE" -v procs="$procs" '
    /sessions established in/ { split($0, a, " established in "); split(a[2], b, " "); if (b[1] + 0 > open) open = b[1] + 0 }
    /^listening end:/ { for (i = 1; i <= NF; i++) { if ($i == "RSS") lr += $(i + 1); if ($i == "threads") lt += $(i + 1) } }
    /^calling end:/   { for (i = 1; i <= NF; i++) { if ($i == "RSS") cr += $(i + 1); if ($i == "threads") ct += $(i + 1) } }
    END {
      printf "| idle sessions | processes per end | time to open (slowest) | listening end RSS | threads | calling end RSS | threads |\n|---|---|---|---|---|---|---|\n"
      printf "| %d | %d | %.1f s | %d MiB | %d | %d MiB | %d |\n", total, procs, open, lr, lt, cr, ct
      printf "\ngoal: < 1024 MiB and < 100 threads per end (threads summed over the processes: about 16-22 per .NET process)\n"
    }'

  echo
  echo "## $IDLE idle sessions in ONE process, both ends, over the in-memory network (no descriptor per session; no sockets)"
  echo
  timeout 900 dotnet "$DLL" idle-memory "$IDLE" 2>&1 | grep -v '^   at ' | sed 's/^/    /'
fi
