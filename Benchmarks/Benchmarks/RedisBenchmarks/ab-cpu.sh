#!/usr/bin/env bash
# Compares two builds of the Redis benchmarks on one benchmark (by default publish → handler
# through the mesh): the current build against a baseline binary built earlier (copy
# Benchmarks/.build-redis/release/RedisBenchmarks aside before a change). Runs the two in
# alternating runs against one redis-server and prints, for each, the process's CPU time
# (user + system) per run and the median, and the p50 throughput of each run; the CPU time
# shows a change that the throughput, on a host whose speed wanders, cannot.
#   bash Benchmarks/Benchmarks/RedisBenchmarks/ab-cpu.sh <baseline binary> [runs] [benchmark regex]
set -euo pipefail
baseline=$(realpath "${1:?usage: ab-cpu.sh <baseline RedisBenchmarks binary> [runs] [benchmark regex]}")
runs="${2:-8}"
filter="${3:-pubsub: publish → handler, end to end}"
cd "$(dirname "$0")/../.."
swift build -c release --scratch-path .build-redis --product RedisBenchmarks
binaries=$(swift build -c release --scratch-path .build-redis --show-bin-path)
# The baseline runs from the same folder, where the benchmark finds what it loads.
cp "$baseline" "$binaries/RedisBenchmarks-baseline"
work=$(mktemp -d)
port=$(bash free-port.sh)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --logfile redis.log --daemonize yes --pidfile "$work/redis.pid"
trap 'kill "$(cat "$work/redis.pid")" 2>/dev/null || true; rm -rf "$work" "$binaries/RedisBenchmarks-baseline"' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
measure() { # $1: binary; prints "<cpu seconds> <p50 K/s>"
  REDIS_BENCH_ADDRESS="127.0.0.1:$port" /usr/bin/time -f "%U %S" -o "$work/time" "$1" --filter "$filter" > "$work/out" 2>&1
  # The runner's debug output gives wall-clock percentiles in ns per 1,000 iterations.
  throughput=$(awk '/Time \(wall clock\)/ {f=1} f && $2 == "0.500000000000" {print 1e9 / $1; exit}' "$work/out")
  echo "$(awk '{print $1 + $2}' "$work/time") ${throughput:-0}"
}
results=()
for _ in $(seq "$runs"); do
  results+=("baseline $(measure "$binaries/RedisBenchmarks-baseline")")
  results+=("current $(measure "$binaries/RedisBenchmarks")")
done
printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys
rows = [line.split() for line in sys.stdin if line.strip()]
medians = {}
for name in ("baseline", "current"):
    cpu = [float(r[1]) for r in rows if r[0] == name]
    rate = [float(r[2]) for r in rows if r[0] == name]
    medians[name] = statistics.median(cpu)
    print(f"{name:8} CPU s {cpu} median {medians[name]:.3f}; p50 K/s {[round(x, 1) for x in rate]}")
ratio = medians["current"] / medians["baseline"]
print(f"current ÷ baseline, median CPU: {ratio:.3f}")
'
