#!/usr/bin/env bash
# Hummingbird with MeshKit's middleware (inbound policies, a server span and the duration
# histogram per request) against Hummingbird alone, on the same route (GET /hello), each under
# `wrk -t2 -c50` for the given seconds, in alternating pairs; prints requests per second, the
# ratio of each pair, and the median of those ratios (the figure quoted), which a shift of the
# machine's speed between pairs moves less than a ratio of medians does.
#   bash Benchmarks/Observability/hummingbird-overhead.sh [seconds] [pairs]
set -euo pipefail
cd "$(dirname "$0")/../.."
package=Integrations/MeshKitHummingbird
seconds="${1:-10}"
pairs="${2:-5}"
swift build -c release --package-path "$package" --product hummingbird-shop
binary="$package/.build/release/hummingbird-shop"

measure() { # $1: extra flag; prints requests/s
  local log port server rps
  log=$(mktemp)
  "$binary" --port 0 $1 > "$log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q LISTENING "$log" && break; sleep 0.1; done
  port=$(awk '/LISTENING/ {print $2}' "$log")
  wrk -t2 -c50 -d1s "http://127.0.0.1:$port/hello" > /dev/null   # warm-up
  rps=$(wrk -t2 -c50 -d"${seconds}s" "http://127.0.0.1:$port/hello" | awk '/Requests\/sec/ {print $2}')
  kill "$server"; wait "$server" 2>/dev/null || true; rm -f "$log"
  echo "$rps"
}

alone=(); meshkit=()
for _ in $(seq "$pairs"); do
  alone+=("$(measure --without-meshkit)")
  meshkit+=("$(measure "")")
done
echo "Hummingbird alone:               ${alone[*]} requests/s"
echo "Hummingbird + MeshKitMiddleware: ${meshkit[*]} requests/s"
python3 - "${alone[*]}" "${meshkit[*]}" <<'PY'
import statistics, sys
alone = [float(x) for x in sys.argv[1].split()]
meshkit = [float(x) for x in sys.argv[2].split()]
ratios = [m / a for a, m in zip(alone, meshkit)]
print("ratio per pair:                  " + " ".join(f"{r:.3f}" for r in ratios))
print(f"median of the pairs' ratios: {statistics.median(ratios):.3f}")
print(f"ratio of the medians: {statistics.median(meshkit) / statistics.median(alone):.3f}")
PY
