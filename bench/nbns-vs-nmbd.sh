#!/usr/bin/env bash
# Name-query answering: our node (nbt node) vs Samba nmbd, same machine, same run.
# Each server runs in its own network namespace (a veth pair inside it gives nmbd the non-loopback
# interface it insists on); the C load generator from ../shared/interop/nbns_load.c queries the
# server's own name at the server's interface address (nmbd with "bind interfaces only" listens there, not on 0.0.0.0) with a window of W requests in flight.
# Reports answers/s, the server's CPU (utime+stime from /proc/PID/stat) and CPU µs per answer.
# Usage: bench/nbns-vs-nmbd.sh [DURATION=10] [WINDOWS="1 16 64"]   (root; bounded; cleans up)
#        OURS_ENV="VAR=value ..." passes environment variables to our node (runtime tuning experiments).
#        NBT_TREE=DIR builds and measures the nbt of another checkout (before/after comparisons).
#        The issue-18 table (echo server anchor, WINS rows, ratios) is bench/close-to-limit.sh.
set -euo pipefail
DUR=${1:-10}; WINDOWS=${2:-"1 16 64"}
[ "$DUR" -gt 120 ] && DUR=120
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$HERE/../shared}
W=$(mktemp -d /tmp/nbtbench.XXXX)
gcc -O2 -Wall -o "$W/nbns_load" "$SHARED/interop/nbns_load.c"
TREE=${NBT_TREE:-$HERE}
dotnet build -c Release "$TREE/src/Nbt.Cli" -v q -nologo > "$W/build.log"
NBT="$TREE/src/Nbt.Cli/bin/Release/net10.0/nbt.dll"
CLK=$(getconf CLK_TCK)
cleanup() {
  for ns in nbtbench-ours nbtbench-nmbd; do
    for p in $(ip netns pids $ns 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del $ns 2>/dev/null || true
  done
  rm -rf "$W"
}
trap cleanup EXIT
mkns() { # name, /24 prefix
  ip netns add "$1"; ip -n "$1" link set lo up
  ip -n "$1" link add nbv0 type veth peer name nbv1
  ip -n "$1" addr add "$2.1/24" dev nbv0; ip -n "$1" addr add "$2.2/24" dev nbv1
  ip -n "$1" link set nbv0 up; ip -n "$1" link set nbv1 up
}
mkns nbtbench-nmbd 10.98.201
mkns nbtbench-ours 10.98.202
mkdir -p "$W/s"/{lock,state,cache,pid,private,ncalrpc,binddns,log}
cat > "$W/s/smb.conf" <<CONF
[global]
  netbios name = BENCHNMBD
  workgroup = BENCH
  interfaces = 10.98.201.1/24
  bind interfaces only = yes
  wins support = no
  local master = no
  disable netbios = no
  log level = 0
  lock directory = $W/s/lock
  state directory = $W/s/state
  cache directory = $W/s/cache
  pid directory = $W/s/pid
  private dir = $W/s/private
  ncalrpc dir = $W/s/ncalrpc
  binddns dir = $W/s/binddns
  log file = $W/s/log/log.%m
CONF
# Daemons in the foreground exit on EOF on stdin: give them a FIFO that this script holds open.
mkfifo "$W/stdin"; exec 3<>"$W/stdin"
ip netns exec nbtbench-nmbd nmbd -F --debug-stdout -d 0 -s "$W/s/smb.conf" -p 137 < "$W/stdin" > "$W/nmbd.out" 2>&1 &
ip netns exec nbtbench-ours env ${OURS_ENV:-} dotnet "$NBT" node --name BENCHOURS --interface 10.98.202.1 < "$W/stdin" > "$W/ours.out" 2>&1 &
# Wait (bounded) until both answer their own name.
for i in $(seq 1 40); do
  a=$(ip netns exec nbtbench-nmbd "$W/nbns_load" --host 10.98.201.1 --name BENCHNMBD#00 --no-rd -w 1 -d 0.3 2>&1 | grep -oE 'responses/s=[0-9.]+' || true)
  b=$(ip netns exec nbtbench-ours "$W/nbns_load" --host 10.98.202.1 --name BENCHOURS#00 --no-rd -w 1 -d 0.3 2>&1 | grep -oE 'responses/s=[0-9.]+' || true)
  [ -n "$a" ] && [ "${a#*=}" != "0.0" ] && [ -n "$b" ] && [ "${b#*=}" != "0.0" ] && break
  sleep 0.5
done
pid_of() { for p in $(ip netns pids "$1"); do if grep -q "$2" /proc/$p/cmdline 2>/dev/null; then echo "$p"; return; fi; done; }
NMBD=$(pid_of nbtbench-nmbd nmbd); OURS=$(pid_of nbtbench-ours nbt.dll)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
run() { # ns name pid label window host
  local c0 c1 out rate
  c0=$(cpu "$3")
  out=$(ip netns exec "$1" "$W/nbns_load" --host "$6" --name "$2" --no-rd -w "$5" -d "$DUR" 2>&1)
  c1=$(cpu "$3")
  rate=$(echo "$out" | grep -oE 'responses/s=[0-9.]+' | head -1 | cut -d= -f2)
  lat=$(echo "$out" | grep -oE 'p50=[0-9.]+' | head -1 | cut -d= -f2)
  timeouts=$(echo "$out" | grep -oE 'timeouts=[0-9]+' | head -1 | cut -d= -f2)
  awk -v l="$4" -v w="$5" -v r="$rate" -v c=$((c1 - c0)) -v k="$CLK" -v d="$DUR" -v p="$lat" -v t="${timeouts:-?}" 'BEGIN {
    cpu = c / k; pct = 100 * cpu / d; us = (r > 0) ? 1e6 * cpu / (r * d) : 0;
    printf "| %-6s | %6d | %10.0f | %8s | %5.1f %% | %8.1f | %10.0f | %s |\n", l, w, r, p, pct, us, (cpu > 0 ? r * d / cpu : 0), t }'
}
echo "| server | window | answers/s | p50 µs | server CPU | µs CPU/answer | answers per CPU-s | timeouts |"
echo "|---|---|---|---|---|---|---|---|"
for w in $WINDOWS; do
  run nbtbench-nmbd BENCHNMBD#00 "$NMBD" nmbd "$w" 10.98.201.1
  run nbtbench-ours BENCHOURS#00 "$OURS" ours "$w" 10.98.202.1
done
