#!/usr/bin/env bash
# Runs the product on this machine: two PostgreSQL servers (the catalog and shard-0 on the first, shard-1 on the
# second) and Redis under .local/ on loopback ports, then the Release build of the Host at http://127.0.0.1:8080.
# Ctrl-C stops everything; a second run reuses the data.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

PG_PORT="${PG_PORT:-55432}"
PG2_PORT="${PG2_PORT:-55433}"
REDIS_PORT="${REDIS_PORT:-56379}"
STATE="${RUN_STATE:-$PWD/.local}"   # where the servers keep their data

install_prerequisites
echo "Building (Release)..."
build_host

cleanup() {
  stop_redis "$STATE/redis"
  stop_postgres "$STATE/postgres-2"
  stop_postgres "$STATE/postgres"
}
trap cleanup EXIT
start_postgres "$STATE/postgres" "$PG_PORT"
start_postgres "$STATE/postgres-2" "$PG2_PORT"
create_app_database "$PG_PORT" polling_catalog
create_app_database "$PG_PORT" polling_shard_0
create_app_database "$PG2_PORT" polling_shard_1
start_redis "$STATE/redis" "$REDIS_PORT"

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export Urls="${Urls:-http://127.0.0.1:8080}"
echo "API reference: $Urls/scalar   (OpenAPI: $Urls/openapi/v1.json)"
# This script's own servers, whatever the environment (a shard id has a '-', which only env can pass on).
app="Host=127.0.0.1;Username=polling_app"
start_host - ConnectionStrings__Catalog="$app;Port=$PG_PORT;Database=polling_catalog" \
  "Sharding__Shards__shard-0=$app;Port=$PG_PORT;Database=polling_shard_0" \
  "Sharding__Shards__shard-1=$app;Port=$PG2_PORT;Database=polling_shard_1" \
  ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
# In the background, so that a TERM sent to this script (not only Ctrl-C to the terminal) stops the Host before the
# servers go: otherwise the Host outlives them.
trap 'stop_hosts' INT TERM
while kill -0 "$HOST_PID" 2>/dev/null; do wait "$HOST_PID" || true; done
