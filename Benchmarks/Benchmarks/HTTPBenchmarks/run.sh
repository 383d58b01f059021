#!/usr/bin/env bash
# Measures MeshKitHTTP against nginx and wrk on loopback. Needs: apt-get install -y wrk nginx.
#   bash Benchmarks/Benchmarks/HTTPBenchmarks/run.sh      (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/../.."
bash build-quietly.sh -c release --product HTTPBenchmarks --scratch-path .build-http
bench=.build-http/release/HTTPBenchmarks

work=$(mktemp -d)
trap 'kill $(cat "$work/nginx.pid" 2>/dev/null) 2>/dev/null || true; kill $server_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
server_pid=
mkdir -p "$work/www"
printf 'pong pong pong pong pong pong pong pong pong pong\n' > "$work/www/ping"
nginx_port=$(bash free-port.sh)
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
    server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf"
sleep 0.2

echo "== invoke (MeshKitHTTP client) vs wrk against nginx: http://127.0.0.1:$nginx_port/ping"
$bench client "http://127.0.0.1:$nginx_port" /ping
wrk -t 2 -c 50 -d 5s "http://127.0.0.1:$nginx_port/ping" | grep -E "Requests/sec|Latency"

echo "== MeshHTTPServer vs nginx under wrk -t 2 -c 50 -d 5s"
$bench serve 0 30 > "$work/server.out" &
server_pid=$!
for _ in $(seq 50); do grep -q LISTENING "$work/server.out" && break; sleep 0.1; done
server_port=$(awk '/LISTENING/ {print $2}' "$work/server.out")
echo "MeshHTTPServer:"
wrk -t 2 -c 50 -d 5s "http://127.0.0.1:$server_port/v1.0/invoke/bench/method/ping" | grep -E "Requests/sec|Latency|Non-2xx"
echo "nginx (static file, 1 worker):"
wrk -t 2 -c 50 -d 5s "http://127.0.0.1:$nginx_port/ping" | grep -E "Requests/sec|Latency"
