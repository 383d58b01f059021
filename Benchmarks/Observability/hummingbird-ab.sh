#!/usr/bin/env bash
# Compares two builds of MeshKit's middleware under Hummingbird: the current build of
# `hummingbird-shop` against a baseline binary of it built earlier (copy
# Integrations/MeshKitHummingbird/.build/release/hummingbird-shop aside before a change). Three
# servers run side by side: Hummingbird alone, the baseline with the middleware, the current
# build with it. `wrk -t2 -c50` loads each in turn for the given seconds, in rounds whose order
# rotates, and each server's CPU time is read from /proc around its load. Prints CPU µs per
# request and requests per second of each, and each build's rate ÷ Hummingbird alone.
#   bash Benchmarks/Observability/hummingbird-ab.sh <baseline binary> [rounds] [seconds per round]
set -euo pipefail
baseline=$(realpath "${1:?usage: hummingbird-ab.sh <baseline hummingbird-shop binary> [rounds] [seconds]}")
cd "$(dirname "$0")/../.."
source Benchmarks/Observability/hummingbird-shop.sh
rounds="${2:-30}"
seconds="${3:-1}"
build_shop
current="$shop_binary"

declare -A pid port ticks requests
start() { # $1: name, $2: binary, $3: extra flag
  start_shop "$1" "$2" "$3"
  pid[$1]=$shop_pid
  port[$1]=$shop_port
}
start alone "$current" --without-meshkit
start baseline "$baseline" ""
start current "$current" ""
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system, in clock ticks
for name in alone baseline current; do
  wrk -t2 -c50 -d1s "http://127.0.0.1:${port[$name]}/hello" > /dev/null # warm-up
  ticks[$name]=0; requests[$name]=0
done
for round in $(seq "$rounds"); do
  case $((round % 3)) in
    0) order="alone baseline current" ;;
    1) order="baseline current alone" ;;
    2) order="current alone baseline" ;;
  esac
  for name in $order; do
    before=$(cpu "${pid[$name]}")
    served=$(wrk -t2 -c50 -d"${seconds}s" "http://127.0.0.1:${port[$name]}/hello" | awk '/requests in/ {print $1}')
    ticks[$name]=$((ticks[$name] + $(cpu "${pid[$name]}") - before))
    requests[$name]=$((requests[$name] + served))
  done
done
python3 - "$(getconf CLK_TCK)" "$((rounds * seconds))" \
  "${ticks[alone]}" "${requests[alone]}" "${ticks[baseline]}" "${requests[baseline]}" "${ticks[current]}" "${requests[current]}" <<'PY'
import sys
hz, seconds = int(sys.argv[1]), int(sys.argv[2])
figures = dict(zip(["alone", "baseline", "current"], zip(map(int, sys.argv[3::2]), map(int, sys.argv[4::2]))))
alone_cpu = figures["alone"][0] / hz * 1e6 / figures["alone"][1]
for name, (ticks, served) in figures.items():
    cpu = ticks / hz * 1e6 / served
    line = f"{name:8} {served / seconds:8.0f} requests/s, {cpu:6.2f} µs CPU per request"
    if name != "alone":
        line += f" ({cpu - alone_cpu:+.2f}), {served / figures['alone'][1]:.3f}× alone"
    print(line)
PY
