#!/usr/bin/env bash
# Runs the two-process example end to end: a product service and an order service, each a process
# of its own, with state and pub/sub on Redis (Dapr Component YAML in Examples/TwoProcess/resources),
# invocation over HTTP, discovery through the Redis name registry, and a graceful shutdown on SIGTERM.
#
#   ./scripts/two-process-demo.sh                 # starts a redis-server of its own on a free port
#   ./scripts/two-process-demo.sh localhost:6379  # uses that Redis instead
#
# Needs redis-server (apt-get install redis-server) when no Redis is given, and the system
# libraries MeshKitRedis and MeshKitHTTP link (libhiredis-dev, libcurl4-openssl-dev).
# MESHKIT_BIN_DIR names a folder holding the built demo-order-service and demo-product-service,
# to skip `swift build`.
set -euo pipefail
cd "$(dirname "$0")/.."

redis="${1:-}"
work="$(mktemp -d -t meshkit-demo-XXXXXX)"
pids=()
# Stops a process: SIGTERM, then SIGKILL if it is still there after 3 seconds (a parent that
# blocks SIGTERM, such as a test runner, passes the block on to its children).
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 30); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
  for pid in "${pids[@]}"; do stop "$pid"; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

say() { echo "demo             $*"; }

# Prints the lines of file $1 as they are written, until process $2 has exited and the file is
# read to its end.
follow() {
  local partial="" line="" running=true
  exec 3<"$1"
  while :; do
    while IFS= read -r line <&3; do
      printf '%s\n' "$partial$line"
      partial=""
    done
    # At the end of the file, `read` leaves a line still being written in `line`.
    partial+="$line"
    $running || break
    if kill -0 "$2" 2>/dev/null; then sleep 0.1; else running=false; fi
  done
  [ -z "$partial" ] || printf '%s\n' "$partial"
}

bin="${MESHKIT_BIN_DIR:-}"
if [ -z "$bin" ]; then
  say "building the two services (swift build)…"
  swift build --product demo-product-service >/dev/null
  swift build --product demo-order-service >/dev/null
  bin="$(swift build --show-bin-path)"
fi

port_is_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -z "$redis" ]; then
  server="$(command -v redis-server || true)"
  [ -n "$server" ] || { echo "redis-server is not installed: apt-get install redis-server, or pass host:port" >&2; exit 1; }
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    port_is_open "$port" || break
  done
  "$server" --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do port_is_open "$port" && break; sleep 0.1; done
  port_is_open "$port" || { cat "$work/redis.log" >&2; echo "redis-server did not start" >&2; exit 1; }
  redis="127.0.0.1:$port"
  say "started redis-server on $redis"
fi

# The resources as written name localhost:6379, as Dapr's quickstarts do; point them at this Redis.
mkdir -p "$work/resources"
for file in Examples/TwoProcess/resources/*.yaml; do
  sed "s/localhost:6379/$redis/g" "$file" >"$work/resources/$(basename "$file")"
done
export MESHKIT_RESOURCES_PATH="$work/resources"

# The log exists before the follower opens it: a background command's redirection happens in
# the child, which may not have run yet.
: >"$work/product.log"
APP_ID=product-service DAPR_HTTP_PORT=0 "$bin/demo-product-service" >>"$work/product.log" 2>&1 &
product=$!
pids+=("$product")
follow "$work/product.log" "$product" &
follower=$!
pids+=("$follower")
for _ in $(seq 1 300); do grep -q "listening" "$work/product.log" && break; sleep 0.1; done
grep -q "listening" "$work/product.log" || { echo "the product service did not start" >&2; exit 1; }

APP_ID=order-service "$bin/demo-order-service"

say "sending SIGTERM to the product service"
kill -TERM "$product"
status=0
wait "$product" || status=$?
# The follower prints the product service's last lines once it sees the process gone.
wait "$follower" 2>/dev/null || true
[ "$status" -eq 0 ] || { echo "the product service exited with status $status" >&2; exit 1; }
say "finished: both services ran and stopped cleanly"
