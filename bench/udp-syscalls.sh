#!/usr/bin/env bash
# System calls per answer of our name service (issue 18): `nbt node` alone in a network namespace (10.98.212.0/24,
# udpsc-PID, a veth pair inside), warmed up 3 s at window 64, then `strace -f -c` attached for one nbns_load run of
# SECONDS at WINDOW; prints the generator's summary (answers = recv=) and strace's table (recvmmsg/sendmmsg/...).
# strace slows the server a lot: compare system calls per answer, not rates.
# Usage: sudo bench/udp-syscalls.sh [WINDOW=64] [SECONDS=4]
#        NBT_TREE=DIR   measure the nbt of another checkout (before/after), as close-to-limit.sh
set -euo pipefail
WIN=${1:-64}; SEC=${2:-4}
[ "$(id -u)" -eq 0 ] || { echo "root only (network namespaces)" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$HERE/../shared}
TREE=${NBT_TREE:-$HERE}
NS=udpsc-$$
W=$(mktemp -d /tmp/udpsc.XXXX)
cleanup() {
  exec 3>&- 2>/dev/null || true
  for p in $(ip netns pids $NS 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del $NS 2>/dev/null || true; rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
gcc -O2 -Wall -o "$W/nbns_load" "$SHARED/interop/nbns_load.c"
dotnet build -c Release "$TREE/src/Nbt.Cli" -v q -nologo > "$W/build.log" 2>&1 || { cat "$W/build.log"; exit 1; }
NBT="$TREE/src/Nbt.Cli/bin/Release/net10.0/nbt.dll"
ip netns add $NS; ip -n $NS link set lo up
ip -n $NS link add nbv0 type veth peer name nbv1
ip -n $NS addr add 10.98.212.1/24 dev nbv0; ip -n $NS addr add 10.98.212.2/24 dev nbv1
ip -n $NS link set nbv0 up; ip -n $NS link set nbv1 up
mkfifo "$W/stdin"; exec 3<>"$W/stdin"
ip netns exec $NS dotnet "$NBT" node --name BENCHOURS --interface 10.98.212.1 < "$W/stdin" > "$W/ours.out" 2>&1 &
load() { timeout 120 ip netns exec $NS "$W/nbns_load" --host 10.98.212.1 --name BENCHOURS#00 --no-rd -w "$1" -d "$2" 2>&1; }
for _ in $(seq 1 60); do load 1 0.3 | grep -q 'responses/s=[1-9]' && break; sleep 0.5; done
PID=$(for p in $(ip netns pids $NS); do grep -q nbt.dll /proc/$p/cmdline 2>/dev/null && echo "$p"; done | head -1)
load 64 3 > /dev/null
timeout -s INT "$((SEC + 2))" strace -f -c -p "$PID" -o "$W/strace.out" 2> /dev/null &
SP=$!
sleep 1
load "$WIN" "$SEC" > "$W/load.out"
wait $SP || true
echo "# nbt $(git -C "$TREE" rev-parse --short HEAD 2>/dev/null || echo "$TREE"), window $WIN, load average $(cut -d' ' -f1-3 /proc/loadavg)"
head -3 "$W/load.out"
grep -E 'calls|recv|send|epoll|futex|poll|total' "$W/strace.out"
