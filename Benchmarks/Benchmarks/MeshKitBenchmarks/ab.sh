#!/usr/bin/env bash
# Runs MeshKitBenchmarks from an earlier build and from this one in alternating rounds, and
# prints each run's p0 and p50 wall clock per call, then the medians of the p50s:
#   bash Benchmarks/Benchmarks/MeshKitBenchmarks/ab.sh <baseline dir> [rounds] [filter]
# (from the repository root). <baseline dir> holds an earlier build's `MeshKitBenchmarks` and
# `libMallocInterposerSwift.so`, copied from `Benchmarks/.build/release/` before the change.
# The host's speed flips between modes, so compare builds only within one run of this script.
set -euo pipefail
baseline=$(cd "$1" && pwd)
rounds=${2:-5}
filter=${3:-'stack: run, retry.budget.breaker.route.*'}
cd "$(dirname "$0")/../.."
bash build-quietly.sh -c release --product MeshKitBenchmarks
current=$(pwd)/.build/release
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for _ in $(seq "$rounds"); do
  for build in baseline current; do
    if [ "$build" = baseline ]; then dir=$baseline; else dir=$current; fi
    # Each benchmark's debug output: its name, then per metric the value at each percentile,
    # in nanoseconds per 1,000 calls.
    LD_LIBRARY_PATH="$dir" "$dir/MeshKitBenchmarks" --filter "$filter" 2>&1 | awk -v build="$build" '
      /^Debug results for / { name = substr($0, 19); sub(/:$/, "", name) }
      /^Time \(wall clock\)/ { wall = 1 }
      wall && / 0\.000000000000 / { p0 = $1 / 1000 }
      wall && / 0\.500000000000 / { printf "%s\t%s\t%.0f\t%.0f\n", build, name, p0, $1 / 1000; wall = 0 }
    ' | tee -a "$results"
  done
done
echo "median p50 (ns):"
sort -t$'\t' -k2,2 -k1,1 -k4,4n "$results" | awk -F'\t' '
  { key = $1 "\t" $2; values[key] = values[key] " " $4; count[key]++ }
  END { for (key in values) { n = split(values[key], v, " "); printf "%s\t%s\n", key, v[int((n + 1) / 2)] } }
' | sort -t$'\t' -k2,2 -k1,1
