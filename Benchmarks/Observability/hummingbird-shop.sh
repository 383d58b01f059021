# Sourced, from the repository root, by the Hummingbird benchmark scripts: builds the example
# server `hummingbird-shop` and starts copies of it on free ports, all stopped when the script
# exits.
shop_package=Integrations/MeshKitHummingbird
shop_binary="$shop_package/.build/release/hummingbird-shop"
shop_logs=$(mktemp -d)
shop_pids=()
trap 'kill "${shop_pids[@]}" 2>/dev/null || true; rm -rf "$shop_logs"' EXIT

build_shop() {
  swift build -c release --package-path "$shop_package" --product hummingbird-shop
}

# start_shop <name> <binary> [flag]: starts a server and waits until it listens; sets
# `shop_pid` and `shop_port`. Not in a subshell, so that the exit trap knows every server.
start_shop() {
  # shellcheck disable=SC2086 # the flag is one word or none
  "$2" --port 0 ${3:-} > "$shop_logs/$1" 2>&1 &
  shop_pid=$!
  shop_pids+=("$shop_pid")
  for _ in $(seq 100); do grep -q LISTENING "$shop_logs/$1" && break; sleep 0.1; done
  shop_port=$(awk '/LISTENING/ {print $2}' "$shop_logs/$1")
}
