#!/usr/bin/env bash
# Counts the PostgreSQL connections that idle Host instances hold: N instances (default 2) over M shards
# (default 4), right after start-up and again once idle pools have been pruned (Npgsql closes connections idle
# for 60 s, Sharding's ConnectionIdleLifetime cap). Loopback only; everything it starts it stops.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

INSTANCES="${1:-2}" SHARDS="${2:-4}" PG_PORT=55632
WORK="$(mktemp -d)"
chmod 755 "$WORK"
install_prerequisites
build_host

cleanup() {
  stop_hosts
  stop_postgres "$WORK/postgres"
  rm -rf "$WORK"
}
trap cleanup EXIT
start_postgres "$WORK/postgres" "$PG_PORT"
app="Host=127.0.0.1;Port=$PG_PORT;Username=polling_app;Database"
settings=(ASPNETCORE_ENVIRONMENT=Production "Auth__SigningKey=$(head -c 48 /dev/urandom | base64)" Serilog__MinimumLevel__Default=Warning
  "ConnectionStrings__Catalog=$app=idle_catalog")
create_app_database "$PG_PORT" idle_catalog
for i in $(seq 0 $((SHARDS - 1))); do
  create_app_database "$PG_PORT" "idle_shard_$i"
  settings+=("Sharding__Shards__shard-$i=$app=idle_shard_$i")
done

for i in $(seq 1 "$INSTANCES"); do
  start_host "$WORK/host-$i.log" "${settings[@]}" Urls="http://127.0.0.1:$((18180 + i))"
  wait_ready "http://127.0.0.1:$((18180 + i))"
done

count() {
  psql_as_postgres "$PG_PORT" -tAc "SELECT datname || ': ' || count(*) FROM pg_stat_activity WHERE usename = 'polling_app' GROUP BY datname ORDER BY datname"
  psql_as_postgres "$PG_PORT" -tAc "SELECT 'total: ' || count(*) FROM pg_stat_activity WHERE usename = 'polling_app'"
}
echo "== $INSTANCES instance(s), $SHARDS shard(s), just started (after migrations and readiness checks)"
count
echo "== after 75 s idle"
sleep 75
count
