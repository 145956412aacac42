#!/usr/bin/env bash
# WINS server benchmark: our node (nbt node --wins-server) vs Samba nmbd (wins support = yes), same machine, same run.
# Structure of bench/nbns-vs-nmbd.sh: each server in its own network namespace with a veth pair inside it (nmbd insists
# on a non-loopback interface); the server listens on .1, the generator (bench/wins_load.c, derived from
# ../shared/interop/nbns_load.c) sends from .2 so that its registrations are not the server's own address.
#   1. queries (RD set, as a WINS client sends them) of the server's own name<00> at each window;
#   2. the WINS mix at windows 16 and 64: 20 % registrations of distinct names, 4 % releases of names the run
#      registered, the rest queries of registered names;
#   3. (ours only, unless SKIP_SCALE=1) queries of one preloaded name: a server with 1 000 names vs another with
#      1 000 000 (third namespace), rows in ABBA order; skipped when the measured preload rate says that filling the
#      second would take more than 3 minutes.
# Rows alternate nmbd / ours. Server CPU: utime+stime of the server process from /proc/PID/stat around each run.
# Usage: bench/wins-vs-nmbd.sh [DURATION=10] [WINDOWS="1 16 64"]   (root; bounded; cleans up on exit)
#        MIX_WINDOWS="16 64"  MIX="20,4"  SKIP_SCALE=1  OURS_ENV="VAR=value ..." (environment of our node)
#        NBT_TREE=DIR (build and run the nbt of another checkout of the repository)
#        OURS_DB=memory (with an nbt that has --database: --database :memory: instead of a SQLite file)
set -euo pipefail
DUR=${1:-10}; WINDOWS=${2:-"1 16 64"}; MIX_WINDOWS=${MIX_WINDOWS:-"16 64"}; MIX=${MIX:-20,4}
[ "$(id -u)" -eq 0 ] || { echo "root only (network namespaces)" >&2; exit 1; }
[ "$DUR" -gt 120 ] && DUR=120
HERE=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/winsbench.XXXX)
NS_NMBD=winsbench-nmbd; NS_OURS=winsbench-ours; NS_BIG=winsbench-big
NMBD_NET=10.98.203; OURS_NET=10.98.204; BIG_NET=10.98.206
cleanup() {
  exec 3>&- 2>/dev/null || true
  for ns in $NS_NMBD $NS_OURS $NS_BIG; do
    for p in $(ip netns pids $ns 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del $ns 2>/dev/null || true
  done
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
gcc -O2 -Wall -o "$W/wins_load" "$HERE/bench/wins_load.c"
TREE=${NBT_TREE:-$HERE}   # NBT_TREE=DIR: build and measure the nbt of another checkout (e.g. one with --database)
dotnet build -c Release "$TREE/src/Nbt.Cli" -v q -nologo > "$W/build.log" || { cat "$W/build.log"; exit 1; }
NBT="$TREE/src/Nbt.Cli/bin/Release/net10.0/nbt.dll"
CLK=$(getconf CLK_TCK)
STORE_ARGS=(); STORE="in-memory store (this nbt node has no --database)"
if dotnet "$NBT" node --help 2>/dev/null | grep -q -- '--database '; then
  if [ "${OURS_DB:-sqlite}" = memory ]; then STORE_ARGS=(--database :memory:); STORE="in-memory store (--database :memory:)"
  else STORE_ARGS=(--database "$W/wins.db"); STORE="SQLite store --database $W/wins.db (a file per server)"; fi
fi
mkns() { # name, /24 prefix (a leftover namespace of that name, e.g. of an interrupted run, is removed first)
  for p in $(ip netns pids "$1" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  ip netns del "$1" 2>/dev/null || true
  ip netns add "$1"; ip -n "$1" link set lo up
  ip -n "$1" link add nbv0 type veth peer name nbv1
  ip -n "$1" addr add "$2.1/24" dev nbv0; ip -n "$1" addr add "$2.2/24" dev nbv1
  ip -n "$1" link set nbv0 up; ip -n "$1" link set nbv1 up
}
for ns in $NS_NMBD $NS_OURS $NS_BIG; do ip netns del $ns 2>/dev/null || true; done
mkns $NS_NMBD $NMBD_NET
mkns $NS_OURS $OURS_NET
mkdir -p "$W/s"/{lock,state,cache,pid,private,ncalrpc,binddns,log}
cat > "$W/s/smb.conf" <<CONF
[global]
  netbios name = BENCHNMBD
  workgroup = BENCH
  server role = standalone server
  interfaces = $NMBD_NET.1/24
  bind interfaces only = yes
  wins support = yes
  dns proxy = no
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
  max log size = 0
CONF
# Daemons in the foreground exit on EOF on stdin: give them a FIFO that this script holds open.
mkfifo "$W/stdin"; exec 3<>"$W/stdin"
ip netns exec $NS_NMBD nmbd -F --debug-stdout -d 0 -s "$W/s/smb.conf" -p 137 < "$W/stdin" > "$W/nmbd.out" 2>&1 &
start_ours() { # ns net name store-file
  local store=("${STORE_ARGS[@]}")
  [ ${#store[@]} -gt 0 ] && [ "${store[1]}" != :memory: ] && store[1]=$4
  ip netns exec "$1" env ${OURS_ENV:-} dotnet "$NBT" node --name "$3" --interface "$2.1" --wins-server \
    "${store[@]}" < "$W/stdin" >> "$W/ours.out" 2>&1 &
}
start_ours $NS_OURS $OURS_NET BENCHOURS "$W/wins.db"
load() { # ns server-net args...: the generator inside the namespace, from .2
  local ns=$1 net=$2; shift 2
  timeout 700 ip netns exec "$ns" "$W/wins_load" --host "$net.1" --bind "$net.2" "$@" 2>&1
}
answers() { grep -oE 'responses/s=[0-9.]+' | head -1 | cut -d= -f2; }
wait_up() { # ns net name: bounded wait until the server answers its own name
  for _ in $(seq 1 60); do
    a=$(load "$1" "$2" --name "$3" -w 1 -d 0.3 | answers || true)
    [ -n "$a" ] && [ "$a" != "0.0" ] && return 0
    sleep 0.5
  done
  echo "server in $1 did not answer $3" >&2; return 1
}
wait_up $NS_NMBD $NMBD_NET BENCHNMBD#00
wait_up $NS_OURS $OURS_NET BENCHOURS#00
pid_of() { for p in $(ip netns pids "$1"); do if grep -q "$2" /proc/$p/cmdline 2>/dev/null; then echo "$p"; return; fi; done; }
NMBD=$(pid_of $NS_NMBD nmbd); OURS=$(pid_of $NS_OURS nbt.dll)
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
declare -A APC RPS P99 ANS TCK SEC P99S   # by "server load window": answers per CPU-s, answers/s, p99 µs of the last run; sums of answers, CPU ticks, seconds; all p99s
run() { # label load window ns net pid generator-args...
  local label=$1 kind=$2 w=$3 ns=$4 net=$5 pid=$6 c0 c1 out; shift 6
  c0=$(cpu "$pid")
  out=$(load "$ns" "$net" -w "$w" -d "$DUR" "$@")
  c1=$(cpu "$pid")
  echo "$out" >> "$W/runs.log"
  local rate p50 p99 tmo neg wall
  rate=$(echo "$out" | answers)
  p50=$(echo "$out" | grep -oE ' p50=[0-9.]+' | head -1 | cut -d= -f2)
  p99=$(echo "$out" | grep -oE ' p99=[0-9.]+' | head -1 | cut -d= -f2)
  tmo=$(echo "$out" | grep -oE 'timeouts=[0-9]+' | head -1 | cut -d= -f2)
  neg=$(echo "$out" | grep -oE 'negative\(rcode!=0\)=[0-9]+' | head -1 | cut -d= -f3)
  wall=$(echo "$out" | grep -oE '[0-9.]+ s  \[C' | head -1 | cut -d' ' -f1)
  local line
  line=$(awk -v l="$label" -v k="$kind" -v w="$w" -v r="${rate:-0}" -v c=$((c1 - c0)) -v hz="$CLK" -v d="${wall:-$DUR}" \
             -v p="${p50:-?}" -v q="${p99:-?}" -v t="${tmo:-?}" -v n="${neg:-?}" 'BEGIN {
    cpu = c / hz; pct = 100 * cpu / d; us = (r > 0) ? 1e6 * cpu / (r * d) : 0; apc = (cpu > 0 ? r * d / cpu : 0);
    printf "| %-5s | %-5s | %6d | %10.0f | %8s | %8s | %6.1f %% | %8.1f | %9.0f | %s / %s |\t%.0f %.0f %d\n", l, k, w, r, p, q, pct, us, apc, t, n, apc, r * d, c }')
  local key="$label $kind $w" tail=${line##*$'\t'}
  read -r a n c <<< "$tail"
  APC[$key]=$a; RPS[$key]=${rate:-0}; P99[$key]=${p99:-0}
  ANS[$key]=$(( ${ANS[$key]:-0} + n )); TCK[$key]=$(( ${TCK[$key]:-0} + c )); SEC[$key]=$(awk -v a="${SEC[$key]:-0}" -v b="${wall:-$DUR}" 'BEGIN { print a + b }')
  P99S[$key]="${P99S[$key]:-} ${p99:-0}"
  echo "${line%$'\t'*}"
}
warm() { # ns net name: 2 s of queries and 2 s of the mix, not measured (JIT tiering, caches, first database pages)
  load "$1" "$2" --name "$3" -w 16 -d 2 > /dev/null; load "$1" "$2" --name "$3" --mix "$MIX" -w 16 -d 2 > /dev/null
}
warm $NS_NMBD $NMBD_NET BENCHNMBD#00
warm $NS_OURS $OURS_NET BENCHOURS#00
echo "# WINS benchmark $(date -u +%FT%TZ), $(nproc) cores, duration ${DUR} s per row, mix ${MIX/,/ % registrations, } % releases"
echo "# ours: nbt node --wins-server, $STORE; nmbd: $(nmbd -V 2>/dev/null), wins support = yes (wins.tdb/wins.dat in $W/s)"
echo "| server | load | window | answers/s | p50 µs | p99 µs | server CPU | µs CPU/answer | answers/CPU-s | timeouts / negative |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for w in $WINDOWS; do
  run nmbd query "$w" $NS_NMBD $NMBD_NET "$NMBD" --name BENCHNMBD#00
  run ours query "$w" $NS_OURS $OURS_NET "$OURS" --name BENCHOURS#00
done
for w in $MIX_WINDOWS; do
  run nmbd mix "$w" $NS_NMBD $NMBD_NET "$NMBD" --name BENCHNMBD#00 --mix "$MIX"
  run ours mix "$w" $NS_OURS $OURS_NET "$OURS" --name BENCHOURS#00 --mix "$MIX"
done
echo
echo "| load | window | ours/nmbd answers per CPU-second | goal |"
echo "|---|---|---|---|"
for w in $WINDOWS; do
  awk -v o="${APC[ours query $w]:-0}" -v n="${APC[nmbd query $w]:-0}" -v w="$w" 'BEGIN { printf "| query | %d | %.2f x | >= 4 x |\n", w, (n > 0 ? o / n : 0) }'
done
for w in $MIX_WINDOWS; do
  awk -v o="${APC[ours mix $w]:-0}" -v n="${APC[nmbd mix $w]:-0}" -v w="$w" 'BEGIN { printf "| mix | %d | %.2f x | >= 2 x |\n", w, (n > 0 ? o / n : 0) }'
done
echo "# ours RSS after part 1+2: $(awk '/VmRSS/ {print $2, $3}' /proc/$OURS/status); nmbd: $(awk '/VmRSS/ {print $2, $3}' /proc/$NMBD/status)"
echo "# per-kind lines of every run (generator output) were:"; grep -E '^(query|mix)|^  (query|register|release) ' "$W/runs.log" | sed 's/^/#   /'
[ "${SKIP_SCALE:-0}" = 1 ] && exit 0

# Part 3: a fresh server with 1 000 names (part 2's names gone) and a second one with 1 000 000 in a third
# namespace, both holding the queried name; their rows alternate so that background load hits both alike.
kill -TERM "$OURS" 2>/dev/null || true
for _ in $(seq 1 100); do kill -0 "$OURS" 2>/dev/null || break; sleep 0.1; done
kill -9 "$OURS" 2>/dev/null || true
mkns $NS_BIG $BIG_NET
start_ours $NS_OURS $OURS_NET BENCHOURS "$W/wins-1k.db"
start_ours $NS_BIG $BIG_NET BENCHBIG "$W/wins-1m.db"
wait_up $NS_OURS $OURS_NET BENCHOURS#00
wait_up $NS_BIG $BIG_NET BENCHBIG#00
OURS=$(pid_of $NS_OURS nbt.dll); BIG=$(pid_of $NS_BIG nbt.dll)
settle() { # pid: bounded wait (10 s) until the process uses < 5 % of a core over 0.5 s (background writes, GC after a preload)
  local a b
  for _ in $(seq 1 20); do
    a=$(cpu "$1"); sleep 0.5; b=$(cpu "$1")
    [ $(( (b - a) * 100 / CLK * 2 )) -lt 5 ] && return 0
  done
  echo "# (server $1 still busy after 10 s)"
}
preload() { # ns net prefix count max-seconds -> prints the generator's preload line; rate in $RATE, count in $DONE
  local out; out=$(load "$1" "$2" --preload "$4" --prefix "$3" -w 64 -d "$5")
  echo "$out" >> "$W/runs.log"
  echo "$out" | grep -E 'preloaded=' | sed "s/^ */# preload $3 into $1: /"
  RATE=$(echo "$out" | grep -oE '\(([0-9]+) registrations/s' | grep -oE '[0-9]+' | head -1)
  DONE=$(echo "$out" | grep -oE 'preloaded=[0-9]+' | cut -d= -f2)
}
Q=L1K000000000500#00
echo
echo "# Part 3 (ours only): queries of $Q with 1 000 names in the store (s1k) vs 1 000 000 (s1m, another process), $STORE"
preload $NS_OURS $OURS_NET L1K 1000 60
preload $NS_BIG $BIG_NET L1K 1000 60
preload $NS_BIG $BIG_NET SCB 19000 60
total=$((1000 + ${DONE:-0}))
if [ -n "${RATE:-}" ] && [ "$RATE" -gt 0 ] && [ $((980000 / RATE)) -le 180 ]; then
  preload $NS_BIG $BIG_NET SCC 980000 240
  total=$((total + ${DONE:-0}))
  echo "# RSS: s1k $(awk '/VmRSS/ {print $2, $3}' /proc/$OURS/status), s1m ($total names) $(awk '/VmRSS/ {print $2, $3}' /proc/$BIG/status)"
  load $NS_OURS $OURS_NET --name $Q -w 16 -d 2 > /dev/null; load $NS_BIG $BIG_NET --name $Q -w 16 -d 2 > /dev/null
  settle "$OURS"; settle "$BIG"
  echo "| store | load | window | answers/s | p50 µs | p99 µs | server CPU | µs CPU/answer | answers/CPU-s | timeouts / negative |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for w in 1 64; do   # ABBA: s1k, s1m, s1m, s1k
    run s1k query "$w" $NS_OURS $OURS_NET "$OURS" --name $Q
    run s1m query "$w" $NS_BIG $BIG_NET "$BIG" --name $Q
    run s1m query "$w" $NS_BIG $BIG_NET "$BIG" --name $Q
    run s1k query "$w" $NS_OURS $OURS_NET "$OURS" --name $Q
  done
  for w in 1 64; do
    awk -v w="$w" -v n="$total" -v a1="${ANS[s1k query $w]}" -v c1="${TCK[s1k query $w]}" -v s1="${SEC[s1k query $w]}" \
        -v a2="${ANS[s1m query $w]}" -v c2="${TCK[s1m query $w]}" -v s2="${SEC[s1m query $w]}" -v hz="$CLK" \
        -v p1="${P99S[s1k query $w]}" -v p2="${P99S[s1m query $w]}" 'BEGIN {
      r1 = a1 / s1; r2 = a2 / s2; e1 = (c1 > 0 ? a1 * hz / c1 : 0); e2 = (c2 > 0 ? a2 * hz / c2 : 0);
      k1 = split(p1, x); k2 = split(p2, y); q1 = 0; q2 = 0; for (i = 1; i <= k1; i++) q1 += x[i] / k1; for (i = 1; i <= k2; i++) q2 += y[i] / k2;
      printf "# window %d, both runs of each summed: %d names vs 1 000: answers/s %.0f vs %.0f (%+.1f %%), answers per CPU-s %.0f vs %.0f (%+.1f %%), mean p99 %.0f vs %.0f µs (%+.1f %%); goal: within 10 %%\n",
        w, n, r2, r1, (r1 > 0 ? 100 * (r2 - r1) / r1 : 0), e2, e1, (e1 > 0 ? 100 * (e2 - e1) / e1 : 0), q2, q1, (q1 > 0 ? 100 * (q2 - q1) / q1 : 0) }'
  done
else
  echo "# 1 000 000 part skipped: preload rate ${RATE:-?} registrations/s => $((980000 / ${RATE:-1})) s > 180 s"
fi
