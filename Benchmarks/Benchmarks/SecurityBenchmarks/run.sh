#!/usr/bin/env bash
# mTLS overhead of MeshKitHTTP, in one run (issue 12's measurements):
#   1. invoke requests/s over mTLS with keep-alive ÷ plaintext (goal ≥ 0.85×);
#   2. new-connection handshakes/s from MeshKit's libcurl transport, TLS session resumption on
#      and off, next to `openssl s_time -new` and `-reuse` against the same MeshKit server.
#   bash Benchmarks/Benchmarks/SecurityBenchmarks/run.sh      (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product SecurityBenchmarks --scratch-path .build-security >/dev/null
bench=.build-security/release/SecurityBenchmarks

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
"$bench" certs "$work"

start_server() { # mode → port
  "$bench" serve "$work" "$1" 120 >"$work/$1.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    port=$(sed -n 's/^LISTENING \([0-9]*\)$/\1/p' "$work/$1.out")
    [ -n "$port" ] && { echo "$port"; return; }
    sleep 0.1
  done
  echo "the $1 server did not start" >&2; exit 1
}
plain_port=$(start_server DISABLE)
mtls_port=$(start_server STRICT)

plain=$("$bench" invoke "$work" "$plain_port" 0 | sed -n 's/^RATE //p')
mtls=$("$bench" invoke "$work" "$mtls_port" 1 | sed -n 's/^RATE //p')
echo "invoke, 50 concurrent, keep-alive: plaintext $plain req/s, mTLS $mtls req/s, ratio $(python3 -c "print(f'{$mtls/$plain:.3f}')") (goal >= 0.85)"

fresh=$("$bench" handshakes "$work" "$mtls_port" 0 5 | sed -n 's/^RATE //p')
resumed=$("$bench" handshakes "$work" "$mtls_port" 1 5 | sed -n 's/^RATE //p')
echo "MeshKit transport, one call per new connection: full handshakes $fresh/s, resumed $resumed/s, ratio $(python3 -c "print(f'{$resumed/$fresh:.2f}')")"

client="-connect 127.0.0.1:$mtls_port -cert $work/client/cert.pem -key $work/client/key.pem -CAfile $work/client/bundle.pem -time 5"
echo "openssl s_time against the same server:"
openssl s_time $client -new 2>&1 | grep -E "connections/user sec|connections in"
openssl s_time $client -reuse 2>&1 | grep -E "connections/user sec|connections in"
