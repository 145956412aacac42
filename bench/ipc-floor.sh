#!/usr/bin/env bash
# Issue 15's benchmark goal against this machine's floor: how close can ANY daemon that carries a session's data
# between two local programs come to the embedded station, when each NCB crosses a local socket and wakes its peer?
#
#   bench/ipc-floor.sh [MILLISECONDS=1000]
#     SIZES=64,4096,65535                  message sizes
#     EMBEDDED=65535:2300:120,64:60:50     the embedded station's own sequential MB/s and RTT µs per size (from the
#                                          daemon benchmark, docs/IPC.md); without it the C TCP figures stand in
#
# bench/ipc_floor.c measures, in C with blocking sockets, for each size: tcp-send (one sequential SEND of an embedded
# station at the least), tcp-rtt (its round trip at the least), unix-sa (N bytes over a Unix socket and a 1-byte
# answer: a SUBMIT carrying the data and its COMPLETE), unix-ow (one crossing of N bytes, half a ping-pong) and
# shm-spin (a round trip through shared memory with both sides spinning, no wake-up). From them, the ceilings:
#   sequential throughput, daemon/embedded  <=  t_send / (t_send + unix-sa(N))     data through the socket
#                                           <=  t_send / (t_send + unix-sa(64))    data through shared memory, a
#                                                                                  notification through the socket
#   round trip, daemon/embedded             >=  (rtt + 4 × unix-ow(N)) / rtt      four crossings on the critical path:
#                                           >=  (rtt + 4 × unix-ow(64)) / rtt     SEND to the daemon, COMPLETE of the
#                                                                                  peer's RECEIVE, its reply, ours
# (t_send = size / embedded MB/s, rtt = embedded RTT). Each bound leaves out everything else the daemon does (its own
# TCP send and receive, the receiving program's crossings, parsing), so a real daemon is below / above it.
# Loopback and socketpairs only; bounded (5 figures × sizes × MILLISECONDS).
set -euo pipefail
MS=${1:-1000}
SIZES=${SIZES:-64,4096,65535}
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/ipc-floor.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM
gcc -O2 -Wall -o "$W/ipc_floor" "$HERE/ipc_floor.c"

declare -A EMB_MBPS EMB_RTT
IFS=, read -ra embedded <<< "${EMBEDDED:-}"
for e in "${embedded[@]}"; do
  IFS=: read -r s m r <<< "$e"
  EMB_MBPS[$s]=$m
  EMB_RTT[$s]=$r
done

echo "# $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores; ${MS} ms per figure"
IFS=, read -ra sizes <<< "$SIZES"
small=$("$W/ipc_floor" 64 "$MS")
read -r _ _ _ sa64 ow64 _ <<< "$small"
echo "| size | tcp-send µs | tcp-rtt µs | unix-sa µs | unix-ow µs | shm-spin µs | embedded from | throughput ceiling, data in socket | … data in shared memory | RTT floor, data in socket | … in shared memory |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for s in "${sizes[@]}"; do
  if [[ "$s" == 64 ]]; then line=$small; else line=$("$W/ipc_floor" "$s" "$MS"); fi
  read -r _ send rtt sa ow spin <<< "$line"
  from="C TCP"
  if [[ -n "${EMB_MBPS[$s]:-}" ]]; then
    send=$(awk -v s="$s" -v m="${EMB_MBPS[$s]}" 'BEGIN { printf "%.2f", s / m }')
    rtt=${EMB_RTT[$s]}
    from="embedded"
  fi
  awk -v s="$s" -v send="$send" -v rtt="$rtt" -v sa="$sa" -v ow="$ow" -v spin="$spin" -v sa64="$sa64" -v ow64="$ow64" \
    -v line="$line" -v from="$from" 'BEGIN {
      split(line, f, " ");
      printf "| %d | %s | %s | %.2f | %.2f | %.3f | %s | %.0f %% | %.0f %% | %.2f× | %.2f× |\n", s, f[2], f[3], sa, ow, spin, from,
        100 * send / (send + sa), 100 * send / (send + sa64), (rtt + 4 * ow) / rtt, (rtt + 4 * ow64) / rtt }'
done
echo "(goal of issue 15: throughput >= 80 % of embedded at 64 KiB, round trip <= 1.5× embedded)"
