#!/usr/bin/env bash
# mTLS overhead of MeshKitHTTP, in one run (issue 12's measurements):
#   1. invoke requests/s over mTLS with keep-alive ÷ plaintext (goal ≥ 0.85×), in short
#      alternate rounds of each (ROUNDS, ROUND_MILLISECONDS): the ratio of the mean rates, and
#      the median of the rounds' ratios;
#   1b. the same ratio for a bare libcurl multi loop in C, against the same servers and against
#      nginx, as anchors;
#   2. new-connection mTLS handshakes/s against the MeshKit server, session resumption off
#      (`openssl s_time -new`) and on (`-reuse`), next to the same against `openssl s_server`
#      with the same certificates. (MeshKit's own client side is not measured here: its
#      transport keeps connections alive and offers no per-call new connection.)
#   bash Benchmarks/Benchmarks/SecurityBenchmarks/run.sh      (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
bash build-quietly.sh -c release --product SecurityBenchmarks --scratch-path .build-security
bench=.build-security/release/SecurityBenchmarks

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
"$bench" certs "$work"

# start_server <mode>: starts a server and sets `port` once it listens. Not in a subshell, so that
# the exit trap knows it; it lives until then (at most an hour).
start_server() {
  "$bench" serve "$work" "$1" 3600 >"$work/$1.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    port=$(sed -n 's/^LISTENING \([0-9]*\)$/\1/p' "$work/$1.out")
    [ -n "$port" ] && return
    sleep 0.1
  done
  echo "the $1 server did not start" >&2; exit 1
}
start_server DISABLE
plain_port=$port
start_server STRICT
mtls_port=$port

"$bench" invoke "$work" "$plain_port" "$mtls_port" "${ROUNDS:-40}" "${ROUND_MILLISECONDS:-500}" >"$work/invoke.out"
field() { sed -n "s/^$2 //p" "$work/$1.out"; } # <output> <figure>
echo "invoke, 50 concurrent, keep-alive: plaintext $(field invoke PLAINTEXT) req/s, mTLS $(field invoke MTLS) req/s;" \
  "mTLS ÷ plaintext $(field invoke OVERALL) (median of the rounds' ratios $(field invoke MEDIAN); goal >= 0.85)"

# Anchors for that ratio, in the same run: a bare libcurl multi loop in C (50 transfers, the
# same certificates) against the same two MeshKit servers, and against nginx (one worker)
# answering the same way in plaintext and under mTLS.
"$bench" curl "$work" "$plain_port" "$mtls_port" "${ROUNDS:-40}" "${ROUND_MILLISECONDS:-500}" >"$work/curl.out"
echo "bare libcurl loop against the same servers: plaintext $(field curl PLAINTEXT) req/s, mTLS $(field curl MTLS) req/s;" \
  "mTLS ÷ plaintext $(field curl OVERALL) (median $(field curl MEDIAN))"
nginx_plain=$(bash free-port.sh)
nginx_mtls=$(bash free-port.sh)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$nginx_plain; location / { return 200 "pong"; } }
  server {
    listen 127.0.0.1:$nginx_mtls ssl;
    ssl_certificate $work/server/cert.pem;
    ssl_certificate_key $work/server/key.pem;
    ssl_client_certificate $work/server/bundle.pem;
    ssl_verify_client on;
    location / { return 200 "pong"; }
  }
}
EOF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>/dev/null &
pids+=($!)
for _ in $(seq 50); do curl -s "http://127.0.0.1:$nginx_plain/" >/dev/null && break; sleep 0.1; done
"$bench" curl "$work" "$nginx_plain" "$nginx_mtls" "${ROUNDS:-40}" "${ROUND_MILLISECONDS:-500}" >"$work/curl.out"
echo "bare libcurl loop against nginx: plaintext $(field curl PLAINTEXT) req/s, mTLS $(field curl MTLS) req/s;" \
  "mTLS ÷ plaintext $(field curl OVERALL) (median $(field curl MEDIAN))"

client="-cert $work/client/cert.pem -key $work/client/key.pem -CAfile $work/client/bundle.pem -time 5"
s_server_port=$(bash free-port.sh)
openssl s_server -quiet -accept "$s_server_port" -cert "$work/server/cert.pem" -key "$work/server/key.pem" \
  -CAfile "$work/server/bundle.pem" -Verify 1 -www >/dev/null 2>&1 &
pids+=($!)
sleep 0.5
for target in "MeshKit 127.0.0.1:$mtls_port" "openssl-s_server 127.0.0.1:$s_server_port"; do
  set -- $target
  for kind in -new -reuse; do
    rate=$(openssl s_time -connect "$2" $client $kind 2>&1 | sed -n 's/.*connections in [0-9.]*s; \([0-9.]*\) connections\/user sec.*/\1/p' | head -1)
    echo "s_time $kind against $1: $rate connections/user sec"
  done
done
