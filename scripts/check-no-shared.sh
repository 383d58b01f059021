#!/usr/bin/env bash
# Fails when a tracked file outside the Markdown docs refers to the `shared` folder that sits next
# to a developer's checkout: a user's clone has no such folder, so tests, scripts and benchmarks
# must read their fixtures from Tests/Fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
if git grep -nE '\.\./shared|shared/(dapr-resources|seed-istio|hooks)' -- ':!*.md' ':!scripts/check-no-shared.sh'; then
  echo "error: the files above read ../shared, which a clone of this repository does not have" >&2
  exit 1
fi
