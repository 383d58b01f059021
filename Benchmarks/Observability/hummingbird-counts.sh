#!/usr/bin/env bash
# What MeshKit's middleware costs each Hummingbird request in calls into the Swift runtime and
# malloc, counted rather than timed, so that a change can be judged on a host whose speed
# changes within a run: Hummingbird alone and with the middleware (the current build, or the
# binary given), each loaded with `wrk -t2 -c50` while `perf stat` counts uprobes on
# swift_task_alloc, swift_task_switch, swift_retain, swift_release and malloc in its process.
# Prints each count per request and the middleware's difference. Then where the extra executor
# hops and task-allocator frames come from: `perf record` on uprobes that capture
# swift_task_switch's resume function and swift_task_alloc's return address, resolved to
# functions (resolve-probe-addresses.py), with each function's calls per request alone and
# with the middleware, where they differ. Needs root (perf probe).
#   bash Benchmarks/Observability/hummingbird-counts.sh [hummingbird-shop binary] [seconds]
set -euo pipefail
binary=${1:+$(realpath "$1")}
cd "$(dirname "$0")/../.."
source Benchmarks/Observability/hummingbird-shop.sh
seconds="${2:-3}"
if [ -z "$binary" ]; then
  build_shop
  binary="$shop_binary"
fi

concurrency=$(find /opt/swift /usr -name libswift_Concurrency.so -path '*linux*' 2>/dev/null | head -1)
core=$(dirname "$concurrency")/libswiftCore.so
libc=$(ldd "$binary" | awk '/libc.so.6/ {print $3}')
probes=(
  "$concurrency swift_task_alloc" "$concurrency swift_task_switch"
  "$core swift_retain" "$core swift_release" "$libc malloc"
)
# Two more that record where a call came from: swift_task_switch's resume function (its first
# argument after the async context, in rdi) and swift_task_alloc's return address.
perf probe -q -x "$concurrency" -a 'meshkit_where_swift_task_switch=swift_task_switch resume=%di:u64' >/dev/null 2>&1 || true
perf probe -q -x "$concurrency" -a 'meshkit_where_swift_task_alloc=swift_task_alloc resume=+0(%sp):u64' >/dev/null 2>&1 || true
events=()
for probe in "${probes[@]}"; do
  set -- $probe
  perf probe -q -x "$1" -a "meshkit_count_$2=$2" >/dev/null 2>&1 || true
  events+=("probe_$(basename "$1" | sed 's/\..*//; s/[^A-Za-z0-9_]/_/g'):meshkit_count_$2")
done
trap 'perf probe -q -d "*:meshkit_count_*" -d "*:meshkit_where_*" >/dev/null 2>&1 || true; kill "${shop_pids[@]}" 2>/dev/null || true; rm -rf "$shop_logs"' EXIT

count() { # $1: name; prints "<event> <count per request>" lines
  local port=$2 pid=$3
  wrk -t2 -c50 -d1s "http://127.0.0.1:$port/hello" > /dev/null # warm-up
  perf stat -x, -e "$(IFS=,; echo "${events[*]}")" -p "$pid" -o "$shop_logs/$1.stat" -- sleep "$((seconds + 1))" &
  local stat=$!
  sleep 0.5
  local served
  served=$(wrk -t2 -c50 -d"${seconds}s" "http://127.0.0.1:$port/hello" | awk '/requests in/ {print $1}')
  wait "$stat"
  awk -F, -v served="$served" '/meshkit_count_/ {sub(/.*meshkit_count_/, "", $3); printf "%s %.2f\n", $3, $1 / served}' "$shop_logs/$1.stat"
}
# where <name> <port> <pid>: records the `meshkit_where_` probes under load; prints
# "<calls per request> <probe> <function>" lines.
where() {
  local port=$2 pid=$3 served
  cp "/proc/$pid/maps" "$shop_logs/$1.maps"
  perf record -q -e "probe_libswift_Concurrency:meshkit_where_*" -p "$pid" -o "$shop_logs/$1.data" -- sleep 2 >/dev/null 2>&1 &
  local record=$!
  sleep 0.5
  served=$(wrk -t2 -c50 -d1s "http://127.0.0.1:$port/hello" | awk '/requests in/ {print $1}')
  wait "$record"
  perf script -i "$shop_logs/$1.data" -F event,trace 2>/dev/null |
    python3 Benchmarks/Observability/resolve-probe-addresses.py "$shop_logs/$1.maps" "$served"
}
start_shop alone "$binary" --without-meshkit
alone=$(count alone "$shop_port" "$shop_pid")
alone_where=$(where alone "$shop_port" "$shop_pid")
start_shop meshkit "$binary"
meshkit=$(count meshkit "$shop_port" "$shop_pid")
meshkit_where=$(where meshkit "$shop_port" "$shop_pid")
python3 - "$alone" "$meshkit" "$alone_where" "$meshkit_where" <<'PY'
import sys
from collections import defaultdict
alone = dict(line.split() for line in sys.argv[1].splitlines())
meshkit = dict(line.split() for line in sys.argv[2].splitlines())
print(f"{'per request':20} {'alone':>8} {'MeshKit':>8} {'added':>8}")
for name in alone:
    a, m = float(alone[name]), float(meshkit[name])
    print(f"{name:20} {a:8.2f} {m:8.2f} {m - a:+8.2f}")
where = defaultdict(lambda: [0.0, 0.0])
for column, text in ((0, sys.argv[3]), (1, sys.argv[4])):
    for line in text.splitlines():
        count, probe, function = line.split(" ", 2)
        where[(probe, function)][column] += float(count)
print()
print("where the hops and frames come from, per request (functions that differ by 0.5 or more):")
for (probe, function), (a, m) in sorted(where.items(), key=lambda item: (item[0][0], item[1][0] - item[1][1])):
    if abs(m - a) >= 0.5:
        print(f"{probe:12} {a:6.2f} {m:6.2f} {m - a:+6.2f}  {function[:110]}")
PY
