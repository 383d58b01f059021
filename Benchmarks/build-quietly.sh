#!/usr/bin/env bash
# Builds a product of the Benchmarks package without its progress lines, and prints the build's
# whole output when it fails (`swift build` writes compile errors to stdout, so discarding
# stdout would hide them). The benchmark scripts call it from `Benchmarks/`:
#   bash build-quietly.sh -c release --product TrafficBenchmarks --scratch-path .build-release
set -uo pipefail
if ! output=$(swift build "$@" 2>&1); then
  printf '%s\n' "$output" >&2
  exit 1
fi
