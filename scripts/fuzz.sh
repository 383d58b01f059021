#!/usr/bin/env bash
# Builds MeshKit's libFuzzer targets (the Fuzz/ package, with -sanitize=fuzzer,address) and runs
# each for a bounded time. Fails on a crash, a leak, a timeout or running out of memory, and
# leaves the input that did it in .build-fuzz/artifacts/.
#
#   scripts/fuzz.sh                      every target, 15 seconds each (what .ci/run runs)
#   scripts/fuzz.sh --time 600           every target, 10 minutes each
#   scripts/fuzz.sh --time 3600 FuzzResources FuzzExpression
#   scripts/fuzz.sh --build-only
#
# Seeds come from Fuzz/Corpus/<target> (and, for resources, Tests/Fixtures); inputs libFuzzer finds
# interesting are kept in .build-fuzz/corpus/<target> between runs. A crash found here becomes a
# regression test in Tests/, and its input a seed in Fuzz/Corpus.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=15
build_only=false
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) seconds="$2"; shift 2 ;;
    --build-only) build_only=true; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(FuzzResources FuzzDuration FuzzExpression FuzzCloudEvent FuzzRedisEntry FuzzHTTPHead)

scratch=.build-fuzz
# Release code runs the targets several times faster; -enable-testing lets them reach internal parsers.
swift build -c release --package-path Fuzz --scratch-path "$scratch" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing 2>&1 \
  | grep -vE "Cannot export local symbol|prohibited flag|unhandled; explicitly declare|CMakeLists.txt|^warning: 'swift-distributed-tracing'" || true
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "error: building the fuzz targets failed" >&2; exit 1; }
$build_only && exit 0

summary=()
# Leaks of the toolchain's Foundation are not ours; everything else still fails the run.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  mkdir -p "$corpus" "$scratch/artifacts"
  seeds=("Fuzz/Corpus/$target")
  [ "$target" = FuzzResources ] && seeds+=(Tests/Fixtures/dapr-resources Tests/Fixtures/seed-istio)
  log="$scratch/$target.log"
  echo "== $target: ${seconds}s"
  start=$(date +%s)
  if ! "$scratch/release/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$scratch/artifacts/$target-" "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    tail -60 "$log" >&2
    echo "error: $target failed (crash, leak, timeout or out of memory); the input is in $scratch/artifacts/" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  summary+=("$target: $runs executions in $(( $(date +%s) - start ))s")
done
printf '%s\n' "${summary[@]}"
