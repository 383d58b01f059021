#!/usr/bin/env bash
# p50/p99 of invoke with one slow peer of four, LEAST_REQUEST against ROUND_ROBIN, in one run.
#   bash Benchmarks/Benchmarks/TrafficBenchmarks/run.sh [calls per balancer]   (from the repository root)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root/Benchmarks"
# Both executables in one scratch folder, so MeshKit is built once for the two.
bash build-quietly.sh -c release --product product-service --scratch-path .build-release
bash build-quietly.sh -c release --product TrafficBenchmarks --scratch-path .build-release
.build-release/release/TrafficBenchmarks .build-release/release/product-service "${1:-4000}"
