#!/usr/bin/env bash
# Prints a TCP port on 127.0.0.1 that is free now, for a server a benchmark script starts. The
# benchmark scripts call it from `Benchmarks/`:  port=$(bash free-port.sh)
exec python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
