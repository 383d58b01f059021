#!/usr/bin/env bash
# Measures pubsub.rabbitmq against bare librabbitmq C loops on one rabbitmq-server (needs
# rabbitmq-server and librabbitmq-dev):
#   bash Benchmarks/Benchmarks/RabbitMQBenchmarks/run.sh      (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
bash build-quietly.sh -c release --product RabbitMQBenchmarks --scratch-path .build-rabbitmq
work=$(mktemp -d)
port=$(bash free-port.sh)
export HOME="$work" RABBITMQ_NODENAME="meshkit-bench-$$@localhost" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
  RABBITMQ_DIST_PORT="$(bash free-port.sh)" RABBITMQ_CONF_ENV_FILE="$work/env.conf" RABBITMQ_CONFIG_FILE="$work/rabbitmq" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$work/enabled_plugins" RABBITMQ_MNESIA_BASE="$work/mnesia" RABBITMQ_LOG_BASE="$work/log" \
  RABBITMQ_PID_FILE="$work/rabbitmq.pid"
echo "[]." > "$work/enabled_plugins"
touch "$work/env.conf"
/usr/lib/rabbitmq/bin/rabbitmq-server >/dev/null 2>&1 &
trap 'kill -9 "$(cat "$work/rabbitmq.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
/usr/lib/rabbitmq/bin/rabbitmqctl -q wait --timeout 60 "$work/rabbitmq.pid"
RABBITMQ_BENCH_PORT="$port" .build-rabbitmq/release/RabbitMQBenchmarks
