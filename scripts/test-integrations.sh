#!/usr/bin/env bash
# Builds and tests the packages that depend on MeshKit by path and bring heavy dependencies that
# MeshKit's users never build: Examples/OTelExport (swift-otel, OTLP/HTTP only: about 7 minutes
# for a first debug build on 2 cores) and Integrations/MeshKitHummingbird (Hummingbird and
# swift-prometheus: about 3 to 4 minutes). Needs curl and python3-venv (the OTLP receiver
# installs opentelemetry-proto from PyPI into a venv), which scripts/test.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."

for package in Examples/OTelExport Integrations/MeshKitHummingbird; do
  echo "== swift test --package-path $package"
  start=$(date +%s)
  swift test --package-path "$package"
  echo "== $package: $(( $(date +%s) - start ))s"
done
