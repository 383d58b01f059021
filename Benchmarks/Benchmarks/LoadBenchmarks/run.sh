#!/usr/bin/env bash
# Loads a 10 MB resource folder (by default ten 1 MB Component files, each a long spec.metadata
# list) with MeshKit and parses it with Yams alone; prints wall time and peak RSS of each (GNU time).
#   bash Benchmarks/Benchmarks/LoadBenchmarks/run.sh [megabytes [files]]    (from the repository root)
#   bash Benchmarks/Benchmarks/LoadBenchmarks/run.sh 10 1                   one 10 MB file
set -euo pipefail
cd "$(dirname "$0")/../.."
bash build-quietly.sh -c release --product LoadBenchmarks --scratch-path .build-load
bench=.build-load/release/LoadBenchmarks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bench" generate "$work/resources" "${1:-10}" "${2:-${1:-10}}"
du -sh "$work/resources"
for mode in yams yams-any meshkit; do
  /usr/bin/time -f "$mode: %e s wall, %M KB peak RSS" "$bench" "$mode" "$work/resources"
done
