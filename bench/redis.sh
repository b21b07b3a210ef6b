#!/usr/bin/env bash
# The Redis client's micro-benchmark: a throw-away redis-server on a loopback port, our client's GET throughput
# against redis-benchmark's on the same server, SECONDS per run (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

SECONDS_PER_RUN="${1:-5}" REDIS_PORT=56479
WORK="$(mktemp -d)"
install_prerequisites
dotnet build bench/Bench/Bench.csproj -c Release -nologo -v quiet >/dev/null
trap 'stop_redis "$WORK"; rm -rf "$WORK"' EXIT
start_redis "$WORK" "$REDIS_PORT"
dotnet bench/Bench/bin/Release/net10.0/Bench.dll redis-get "127.0.0.1:$REDIS_PORT" "$SECONDS_PER_RUN"
