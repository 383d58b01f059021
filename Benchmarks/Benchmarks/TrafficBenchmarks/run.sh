#!/usr/bin/env bash
# p50/p99 of invoke with one slow peer of four, LEAST_REQUEST against ROUND_ROBIN, in one run.
#   bash Benchmarks/Benchmarks/TrafficBenchmarks/run.sh [calls per balancer]   (from the repository root)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
swift build -c release --package-path "$root" --product product-service --scratch-path "$root/.build-release" >/dev/null
cd "$root/Benchmarks"
swift build -c release --product TrafficBenchmarks --scratch-path .build-traffic >/dev/null
.build-traffic/release/TrafficBenchmarks "$root/.build-release/release/product-service" "${1:-4000}"
