#!/usr/bin/env bash
# What MeshKit's middleware costs each Hummingbird request in calls into the Swift runtime and
# malloc, counted rather than timed, so that a change can be judged on a host whose speed
# changes within a run: Hummingbird alone and with the middleware (the current build, or the
# binary given), each loaded with `wrk -t2 -c50` while `perf stat` counts uprobes on
# swift_task_alloc, swift_task_switch, swift_retain, swift_release and malloc in its process.
# Prints each count per request and the middleware's difference. Needs root (perf probe).
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
events=()
for probe in "${probes[@]}"; do
  set -- $probe
  perf probe -q -x "$1" -a "meshkit_count_$2=$2" >/dev/null 2>&1 || true
  events+=("probe_$(basename "$1" | sed 's/\..*//; s/[^A-Za-z0-9_]/_/g'):meshkit_count_$2")
done
trap 'for probe in "${probes[@]}"; do set -- $probe; perf probe -q -d "*:meshkit_count_$2" >/dev/null 2>&1 || true; done; kill "${shop_pids[@]}" 2>/dev/null || true; rm -rf "$shop_logs"' EXIT

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
start_shop alone "$binary" --without-meshkit
alone=$(count alone "$shop_port" "$shop_pid")
start_shop meshkit "$binary"
meshkit=$(count meshkit "$shop_port" "$shop_pid")
python3 - "$alone" "$meshkit" <<'PY'
import sys
alone = dict(line.split() for line in sys.argv[1].splitlines())
meshkit = dict(line.split() for line in sys.argv[2].splitlines())
print(f"{'per request':20} {'alone':>8} {'MeshKit':>8} {'added':>8}")
for name in alone:
    a, m = float(alone[name]), float(meshkit[name])
    print(f"{name:20} {a:8.2f} {m:8.2f} {m - a:+8.2f}")
PY
