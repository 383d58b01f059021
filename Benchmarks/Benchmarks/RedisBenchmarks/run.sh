#!/usr/bin/env bash
# Runs the Redis benchmarks against one redis-server, which the redis-benchmark baselines share:
#   bash Benchmarks/Benchmarks/RedisBenchmarks/run.sh        (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
port=$(bash free-port.sh)
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" --logfile redis.log --daemonize yes --pidfile "$work/redis.pid"
trap 'kill "$(cat "$work/redis.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
REDIS_BENCH_ADDRESS="127.0.0.1:$port" swift package --scratch-path .build-redis --disable-sandbox benchmark --target RedisBenchmarks "$@"
