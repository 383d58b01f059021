#!/usr/bin/env bash
# The cost of tracing per invoke with swift-otel's real OTLP/HTTP exporter, in one run: MeshKit's
# tracing off, spans made but not sampled (swift-otel's always_off sampler), and spans sampled
# and exported to a real OTLP/HTTP receiver (Examples/OTelExport's, on opentelemetry-proto).
#   bash Benchmarks/Observability/tracing-cost.sh [invokes per round] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
package=Examples/OTelExport
swift build -c release --package-path "$package" --product tracing-cost
venv="${TMPDIR:-/tmp}/meshkit-otlp-venv"
if ! "$venv/bin/python" -c "import opentelemetry.proto" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "opentelemetry-proto>=1.20,<2"
fi
receiver_script=$(mktemp --suffix=.py)
sed -n '/static let source = #"""/,/"""#/p' "$package/Tests/MeshKitOTelTests/OTLPReceiver.swift" | sed '1d;$d' | sed 's/^        //' > "$receiver_script"
log=$(mktemp)
"$venv/bin/python" "$receiver_script" > "$log" 2>&1 &
receiver=$!
trap 'kill $receiver 2>/dev/null; rm -f "$receiver_script" "$log"' EXIT
for _ in $(seq 100); do grep -q LISTENING "$log" && break; sleep 0.1; done
port=$(awk '/LISTENING/ {print $2}' "$log")
"$package/.build/release/tracing-cost" "http://127.0.0.1:$port" "${1:-20000}" "${2:-15}"
