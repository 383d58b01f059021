#!/usr/bin/env bash
# Installs the system packages MeshKit's tests need (when missing), then runs the whole test suite:
# the package's tests, and, when no arguments narrow them, those of the packages beside it
# (scripts/test-integrations.sh: the OpenTelemetry example and the Hummingbird integration).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r package; do
  [ -n "$package" ] || continue
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done < scripts/system-packages.txt

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

# One test at a time: the suites start real servers (redis-server, rabbitmq-server, nginx, four
# product-service processes at once, Python clients), and run all together on two cores their
# timing bounds, generous as they are, failed at random.
swift test --no-parallel "$@"
if [ $# -eq 0 ]; then
  ./scripts/test-integrations.sh
fi
