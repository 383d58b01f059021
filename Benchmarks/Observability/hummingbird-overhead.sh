#!/usr/bin/env bash
# Hummingbird with MeshKit's middleware (the inbound stack and the duration histograms per
# request; the example bootstraps no tracer, so no span) against Hummingbird alone, on the same
# route (GET /hello). Both servers
# run side by side; `wrk -t2 -c50` loads one, then the other, for the given seconds, in
# alternating rounds (which one goes first swaps each round), so that the machine's speed
# changes land on both. Prints the requests per second of each round, the ratio of the mean
# rates (the figure quoted) and the median of the rounds' ratios.
#   bash Benchmarks/Observability/hummingbird-overhead.sh [rounds] [seconds per round]
set -euo pipefail
cd "$(dirname "$0")/../.."
source Benchmarks/Observability/hummingbird-shop.sh
rounds="${1:-60}"
seconds="${2:-1}"
build_shop

start_shop alone "$shop_binary" --without-meshkit
alone_port=$shop_port
start_shop meshkit "$shop_binary"
meshkit_port=$shop_port
load() { # $1: port, $2: seconds; prints requests/s
  wrk -t2 -c50 -d"$2s" "http://127.0.0.1:$1/hello" | awk '/Requests\/sec/ {print $2}'
}
load "$alone_port" 1 > /dev/null; load "$meshkit_port" 1 > /dev/null   # warm-up

alone=(); meshkit=()
for round in $(seq "$rounds"); do
  if (( round % 2 )); then
    alone+=("$(load "$alone_port" "$seconds")"); meshkit+=("$(load "$meshkit_port" "$seconds")")
  else
    meshkit+=("$(load "$meshkit_port" "$seconds")"); alone+=("$(load "$alone_port" "$seconds")")
  fi
done
echo "Hummingbird alone:               ${alone[*]} requests/s"
echo "Hummingbird + MeshKitMiddleware: ${meshkit[*]} requests/s"
python3 - "${alone[*]}" "${meshkit[*]}" <<'PY'
import statistics, sys
alone = [float(x) for x in sys.argv[1].split()]
meshkit = [float(x) for x in sys.argv[2].split()]
ratios = [m / a for a, m in zip(alone, meshkit)]
print(f"means: {statistics.mean(alone):.0f} alone, {statistics.mean(meshkit):.0f} with MeshKit")
print(f"ratio of the means: {statistics.mean(meshkit) / statistics.mean(alone):.3f}")
print(f"median of the rounds' ratios: {statistics.median(ratios):.3f}")
PY
