#!/usr/bin/env bash
# Hummingbird with MeshKit's middleware (inbound policies, a server span and the duration
# histogram per request) against Hummingbird alone, on the same route (GET /hello), each under
# `wrk -t2 -c50` for the given seconds, twice in alternation; prints requests per second and the
# ratio of the medians.
#   bash Benchmarks/Observability/hummingbird-overhead.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
package=Integrations/MeshKitHummingbird
seconds="${1:-10}"
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
for _ in 1 2 3; do
  alone+=("$(measure --without-meshkit)")
  meshkit+=("$(measure "")")
done
echo "Hummingbird alone:               ${alone[*]} requests/s"
echo "Hummingbird + MeshKitMiddleware: ${meshkit[*]} requests/s"
python3 -c "import statistics,sys; a=statistics.median(map(float,sys.argv[1].split())); m=statistics.median(map(float,sys.argv[2].split())); print(f'ratio (median with MeshKit / median alone): {m/a:.3f}')" "${alone[*]}" "${meshkit[*]}"
