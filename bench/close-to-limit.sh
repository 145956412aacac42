#!/usr/bin/env bash
# Issue 18 "close to the limit", name-service part (+ issue 14's WINS window-1 figure): every figure beside its
# anchor, in one command, with the ratios.
#   name service (own-name queries, nbns_load from ../shared/interop): a C UDP echo server (bench/udp_echo.c,
#     recvfrom/sendto, no parsing), nmbd (no WINS), our `nbt node`; windows 64 and 1; answers/s, answers per
#     CPU-second, p50/p99;
#   WINS server (queries with RD set, bench/wins_load.c from .2 as bench/wins-vs-nmbd.sh sends them): nmbd
#     (wins support = yes) vs `nbt node --wins-server`; windows 1 and 64;
#   then the session rows: bench/sessions-vs-raw.sh, when it exists and is executable.
# Each server runs alone in its own network namespace (a veth pair inside, as nmbd wants a non-loopback interface);
# the generator runs in the same namespace. Server CPU: utime+stime of the server process (/proc/PID/stat, all
# threads) around each run. Rows of one window alternate anchor / ours, so a change in background load hits both.
# Usage: sudo bench/close-to-limit.sh [DURATION=10]       (root; bounded: ~15 rows of DURATION s + start-up; cleans up)
#        NBT_TREE=DIR      build and measure the nbt of another checkout (e.g. `git -C /work/main archive HEAD | tar -x -C DIR`)
#        OURS_ENV="V=x"    environment of our nodes (runtime experiments)
#        SKIP_WINS=1 / SKIP_SESSIONS=1   leave out those parts
#        (namespaces are cl-echo-PID, cl-ours-PID, ...: concurrent runs do not disturb each other's setup, only each other's CPU)
set -euo pipefail
DUR=${1:-10}
[ "$(id -u)" -eq 0 ] || { echo "root only (network namespaces)" >&2; exit 1; }
[ "$DUR" -gt 60 ] && DUR=60
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$HERE/../shared}
TREE=${NBT_TREE:-$HERE}
W=$(mktemp -d /tmp/closebench.XXXX)
# Namespace names carry this run's PID, so that two runs (two engineers, two trees) never delete each other's.
S=-$$
NSS="cl-echo$S cl-nmbd$S cl-ours$S cl-wnmbd$S cl-wours$S"
cleanup() {
  exec 3>&- 2>/dev/null || true
  for ns in $NSS; do
    for p in $(ip netns pids $ns 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del $ns 2>/dev/null || true
  done
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# --- build: the generators, the echo server, a Release nbt ---
gcc -O2 -Wall -o "$W/nbns_load" "$SHARED/interop/nbns_load.c"
gcc -O2 -Wall -o "$W/wins_load" "$HERE/bench/wins_load.c"
gcc -O2 -Wall -o "$W/udp_echo" "$HERE/bench/udp_echo.c"
dotnet build -c Release "$TREE/src/Nbt.Cli" -v q -nologo > "$W/build.log" 2>&1 || { cat "$W/build.log"; exit 1; }
NBT="$TREE/src/Nbt.Cli/bin/Release/net10.0/nbt.dll"
NBT_REV=$(git -C "$TREE" rev-parse --short HEAD 2>/dev/null || echo "exported tree $TREE")
CLK=$(getconf CLK_TCK)

# --- namespaces and servers ---
mkns() { # name, /24 prefix
  ip netns add "$1"; ip -n "$1" link set lo up
  ip -n "$1" link add nbv0 type veth peer name nbv1
  ip -n "$1" addr add "$2.1/24" dev nbv0; ip -n "$1" addr add "$2.2/24" dev nbv1
  ip -n "$1" link set nbv0 up; ip -n "$1" link set nbv1 up
}
for ns in $NSS; do ip netns del $ns 2>/dev/null || true; done
mkns cl-echo$S 10.98.207; mkns cl-nmbd$S 10.98.208; mkns cl-ours$S 10.98.209; mkns cl-wnmbd$S 10.98.210; mkns cl-wours$S 10.98.211
smbconf() { # dir netbios-name interface wins
  mkdir -p "$1"/{lock,state,cache,pid,private,ncalrpc,binddns,log}
  cat > "$1/smb.conf" <<CONF
[global]
  netbios name = $2
  workgroup = BENCH
  server role = standalone server
  interfaces = $3/24
  bind interfaces only = yes
  wins support = $4
  dns proxy = no
  local master = no
  disable netbios = no
  log level = 0
  lock directory = $1/lock
  state directory = $1/state
  cache directory = $1/cache
  pid directory = $1/pid
  private dir = $1/private
  ncalrpc dir = $1/ncalrpc
  binddns dir = $1/binddns
  log file = $1/log/log.%m
  max log size = 0
CONF
}
smbconf "$W/n" BENCHNMBD 10.98.208.1 no
smbconf "$W/wn" BENCHNMBD 10.98.210.1 yes
# Daemons in the foreground exit on EOF on stdin: give them a FIFO that this script holds open.
mkfifo "$W/stdin"; exec 3<>"$W/stdin"
ip netns exec cl-echo$S "$W/udp_echo" --bind 10.98.207.1 --port 137 --max-seconds 1800 > "$W/echo.out" 2>&1 &
ip netns exec cl-nmbd$S nmbd -F --debug-stdout -d 0 -s "$W/n/smb.conf" -p 137 < "$W/stdin" > "$W/nmbd.out" 2>&1 &
ip netns exec cl-wnmbd$S nmbd -F --debug-stdout -d 0 -s "$W/wn/smb.conf" -p 137 < "$W/stdin" > "$W/wnmbd.out" 2>&1 &
ip netns exec cl-ours$S env ${OURS_ENV:-} dotnet "$NBT" node --name BENCHOURS --interface 10.98.209.1 < "$W/stdin" > "$W/ours.out" 2>&1 &
# The WINS rows are queries only: the store does not matter; keep it in memory (never the default /var/lib/nbt/wins.db).
STORE=(); dotnet "$NBT" node --help 2>/dev/null | grep -q -- '--database ' && STORE=(--database :memory:)
ip netns exec cl-wours$S env ${OURS_ENV:-} dotnet "$NBT" node --name BENCHOURS --interface 10.98.211.1 --wins-server "${STORE[@]}" < "$W/stdin" > "$W/wours.out" 2>&1 &

nbns() { # ns host name window duration: the own-name query generator (RD clear, as a node asks a node)
  timeout 200 ip netns exec "$1" "$W/nbns_load" --host "$2" --name "$3" --no-rd -w "$4" -d "$5" 2>&1
}
wins() { # ns net name window duration: the WINS client generator (RD set) from .2
  timeout 200 ip netns exec "$1" "$W/wins_load" --host "$2.1" --bind "$2.2" --name "$3" -w "$4" -d "$5" 2>&1
}
rate_of() { grep -oE 'responses/s=[0-9.]+' | head -1 | cut -d= -f2; }
wait_up() { # generator-function args...: bounded wait until a first answer
  for _ in $(seq 1 60); do
    a=$("$@" | rate_of || true)
    [ -n "$a" ] && [ "$a" != "0.0" ] && return 0
    sleep 0.5
  done
  echo "server did not answer: $*" >&2; return 1
}
wait_up nbns cl-echo$S 10.98.207.1 ECHO#00 1 0.3
wait_up nbns cl-nmbd$S 10.98.208.1 BENCHNMBD#00 1 0.3
wait_up nbns cl-ours$S 10.98.209.1 BENCHOURS#00 1 0.3
if [ "${SKIP_WINS:-0}" != 1 ]; then
  wait_up wins cl-wnmbd$S 10.98.210 BENCHNMBD#00 1 0.3
  wait_up wins cl-wours$S 10.98.211 BENCHOURS#00 1 0.3
fi
pid_of() { for p in $(ip netns pids "$1"); do if grep -q "$2" /proc/$p/cmdline 2>/dev/null; then echo "$p"; return; fi; done; }
declare -A PID=([echo]=$(pid_of cl-echo$S udp_echo) [nmbd]=$(pid_of cl-nmbd$S nmbd) [ours]=$(pid_of cl-ours$S nbt.dll)
                [wnmbd]=$(pid_of cl-wnmbd$S nmbd) [wours]=$(pid_of cl-wours$S nbt.dll))
cpu() { awk '{print $14+$15}' /proc/$1/stat; }
# Warm-up, not measured: JIT tiering (our nodes), caches.
nbns cl-ours$S 10.98.209.1 BENCHOURS#00 64 3 > /dev/null; nbns cl-ours$S 10.98.209.1 BENCHOURS#00 1 1 > /dev/null
nbns cl-nmbd$S 10.98.208.1 BENCHNMBD#00 64 1 > /dev/null; nbns cl-echo$S 10.98.207.1 ECHO#00 64 1 > /dev/null
if [ "${SKIP_WINS:-0}" != 1 ]; then
  wins cl-wours$S 10.98.211 BENCHOURS#00 64 3 > /dev/null; wins cl-wours$S 10.98.211 BENCHOURS#00 1 1 > /dev/null
  wins cl-wnmbd$S 10.98.210 BENCHNMBD#00 64 1 > /dev/null
fi

declare -A RPS APC P50 P99 TMO
run() { # key label part window generator-function args...
  local key=$1 label=$2 part=$3 w=$4 c0 c1 out; shift 4
  local pid=${PID[$label]}
  c0=$(cpu "$pid"); out=$("$@"); c1=$(cpu "$pid")
  echo "$out" >> "$W/runs.log"
  local rate p50 p99 tmo wall
  rate=$(echo "$out" | rate_of)
  p50=$(echo "$out" | grep -oE ' p50=[0-9.]+' | head -1 | cut -d= -f2)
  p99=$(echo "$out" | grep -oE ' p99=[0-9.]+' | head -1 | cut -d= -f2)
  tmo=$(echo "$out" | grep -oE 'timeouts=[0-9]+' | head -1 | cut -d= -f2)
  wall=$(echo "$out" | grep -oE '[0-9.]+ s  \[C' | head -1 | cut -d' ' -f1)
  local line
  line=$(awk -v l="$label" -v k="$part" -v w="$w" -v r="${rate:-0}" -v c=$((c1 - c0)) -v hz="$CLK" -v d="${wall:-$DUR}" \
             -v p="${p50:-0}" -v q="${p99:-0}" -v t="${tmo:-?}" 'BEGIN {
    cpu = c / hz; pct = 100 * cpu / d; apc = (cpu > 0 ? r * d / cpu : 0);
    printf "| %-5s | %-13s | %3d | %9.0f | %8.1f | %8.1f | %6.1f %% | %7.2f | %9.0f | %s |\t%.0f\n", l, k, w, r, p, q, pct, (r > 0 ? 1e6 * cpu / (r * d) : 0), apc, t, apc }')
  RPS[$key]=${rate:-0}; APC[$key]=${line##*$'\t'}; P50[$key]=${p50:-0}; P99[$key]=${p99:-0}; TMO[$key]=${tmo:-?}
  echo "${line%$'\t'*}"
}

echo "# close-to-limit $(date -u +%FT%TZ): $(nproc) cores, load average at start $START_LOAD, ${DUR} s per row"
echo "# ours: nbt $NBT_REV (Release)${OURS_ENV:+, env $OURS_ENV}; nmbd: $(nmbd -V 2>/dev/null); anchor: bench/udp_echo.c (recvfrom/sendto)"
echo "| server | load | window | answers/s | p50 µs | p99 µs | server CPU | µs CPU/answer | answers/CPU-s | timeouts |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for w in 64 1; do
  run "echo $w" echo "own-name query" "$w" nbns cl-echo$S 10.98.207.1 ECHO#00 "$w" "$DUR"
  run "ours $w" ours "own-name query" "$w" nbns cl-ours$S 10.98.209.1 BENCHOURS#00 "$w" "$DUR"
  run "nmbd $w" nmbd "own-name query" "$w" nbns cl-nmbd$S 10.98.208.1 BENCHNMBD#00 "$w" "$DUR"
done
if [ "${SKIP_WINS:-0}" != 1 ]; then
  for w in 1 64; do
    run "wnmbd $w" wnmbd "WINS query" "$w" wins cl-wnmbd$S 10.98.210 BENCHNMBD#00 "$w" "$DUR"
    run "wours $w" wours "WINS query" "$w" wins cl-wours$S 10.98.211 BENCHOURS#00 "$w" "$DUR"
  done
fi
echo "# (echo: the C echo server; the WINS rows: nmbd with wins support = yes vs nbt node --wins-server, queries with RD from .2)"
echo "# ours: $(awk '/VmRSS/ {print "RSS " $2 " " $3}' /proc/${PID[ours]}/status), threads $(ls /proc/${PID[ours]}/task | wc -l)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v v="$1" -v g="$2" -v op="$3" 'BEGIN { ok = (op == "<" ? v < g : v >= g); printf "%s", ok ? "met" : "NOT met" }'; }
echo
echo "| figure | anchor | ours | ratio | goal | |"
echo "|---|---|---|---|---|---|"
r=$(ratio "${RPS[ours 64]}" "${RPS[echo 64]}")
printf "| own-name queries, window 64, answers/s | C echo server: %.0f | %.0f | %.0f %% | >= 90 %% | %s |\n" "${RPS[echo 64]}" "${RPS[ours 64]}" "$(awk -v r="$r" 'BEGIN{print 100*r}')" "$(verdict "$r" 0.90 '>=')"
r=$(ratio "${APC[ours 64]}" "${APC[nmbd 64]}")
printf "| same, answers per CPU-second | nmbd: %.0f | %.0f | %s x | >= 6 x | %s |\n" "${APC[nmbd 64]}" "${APC[ours 64]}" "$r" "$(verdict "$r" 6 '>=')"
printf "| same, p99 | nmbd: %.0f µs | %.0f µs | | < 2 000 µs | %s |\n" "${P99[nmbd 64]}" "${P99[ours 64]}" "$(verdict "${P99[ours 64]}" 2000 '<')"
r=$(ratio "${APC[ours 1]}" "${APC[nmbd 1]}")
printf "| window 1 (one query in flight), answers per CPU-second | nmbd: %.0f | %.0f | %s x | >= 2 x | %s |\n" "${APC[nmbd 1]}" "${APC[ours 1]}" "$r" "$(verdict "$r" 2 '>=')"
r=$(ratio "${RPS[ours 1]}" "${RPS[echo 1]}")
printf "| window 1, answers/s (latency-bound) | C echo server: %.0f | %.0f | %.0f %% | | |\n" "${RPS[echo 1]}" "${RPS[ours 1]}" "$(awk -v r="$r" 'BEGIN{print 100*r}')"
if [ "${SKIP_WINS:-0}" != 1 ]; then
  r=$(ratio "${APC[wours 1]}" "${APC[wnmbd 1]}")
  printf "| WINS server queries, window 1, answers per CPU-second | nmbd: %.0f | %.0f | %s x | >= 4 x | %s |\n" "${APC[wnmbd 1]}" "${APC[wours 1]}" "$r" "$(verdict "$r" 4 '>=')"
  r=$(ratio "${APC[wours 64]}" "${APC[wnmbd 64]}")
  printf "| WINS server queries, window 64, answers per CPU-second | nmbd: %.0f | %.0f | %s x | >= 4 x | %s |\n" "${APC[wnmbd 64]}" "${APC[wours 64]}" "$r" "$(verdict "$r" 4 '>=')"
fi
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

# The name-service servers are done: stop them before the session part so they cost nothing there.
disown -a
for ns in $NSS; do for p in $(ip netns pids $ns 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done; done
if [ "${SKIP_SESSIONS:-0}" != 1 ]; then
  if [ -x "$HERE/bench/sessions-vs-raw.sh" ]; then
    echo
    "$HERE/bench/sessions-vs-raw.sh"
  else
    echo "# session rows: bench/sessions-vs-raw.sh not present in this tree (another engineer delivers it)"
  fi
fi
