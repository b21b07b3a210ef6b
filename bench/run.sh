#!/usr/bin/env bash
# One command for the benchmark: builds in Release, starts a throw-away PostgreSQL and Redis, two Host instances and
# the baseline server on loopback ports, runs every scenario for SECONDS each (default 10) and prints the report.
# Every request loop is bounded in time and targets 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

SECONDS_PER_RUN="${1:-10}"
PG_PORT=55532 REDIS_PORT=56579 API_PORT=18080 API_L2_PORT=18082 API_LIMITED_PORT=18083 BASELINE_PORT=18081
WORK="$(mktemp -d)"
chmod 755 "$WORK"   # the postgres user must reach its data directory inside
PG_DATA="$WORK/postgres"

install_prerequisites
build_host
dotnet build bench/Bench/Bench.csproj -c Release -nologo -v quiet >/dev/null

baseline=""
cleanup() {
  stop_hosts
  [ -z "$baseline" ] || { kill "$baseline" 2>/dev/null; wait "$baseline" 2>/dev/null; } || true
  stop_redis "$WORK/redis"
  stop_postgres "$PG_DATA"
  rm -rf "$WORK"
}
trap cleanup EXIT

# Room for both instances' pools (up to 50 connections per shard each) and pgbench's 32 clients at once.
start_postgres "$PG_DATA" "$PG_PORT" "-c max_connections=300"
for db in bench_catalog bench_shard_0 bench_shard_1; do create_app_database "$PG_PORT" "$db"; done
start_redis "$WORK/redis" "$REDIS_PORT"
app="Host=127.0.0.1;Port=$PG_PORT;Username=polling_app;Maximum Pool Size=50;Database"
# The benchmark's tenant is pinned to shard-0; the report reads that shard (as the superuser) and pgbench runs there.
CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Database=bench_shard_0;Username=postgres;Maximum Pool Size=50"
SIGNING_KEY="$(head -c 48 /dev/urandom | base64)"

# start_instance PORT [NAME=VALUE...]: a Production Host on the shared PostgreSQL and Redis, rate limits off (configuration lifts them).
start_instance() {
  local port="$1"; shift
  start_host "$WORK/host-$port.log" ASPNETCORE_ENVIRONMENT=Production \
    Auth__SigningKey="$SIGNING_KEY" \
    ConnectionStrings__Catalog="$app=bench_catalog" \
    "Sharding__Shards__shard-0=$app=bench_shard_0" \
    "Sharding__Shards__shard-1=$app=bench_shard_1" \
    Sharding__MaxConnectionsPerShard=50 \
    Sharding__Placement=Pinned Sharding__PinnedShard=shard-0 \
    ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT" \
    Urls="http://127.0.0.1:$port" \
    RateLimits__Enabled=false \
    "$@"
}
start_instance "$API_PORT"
# A second instance that keeps no local copies of shared cache entries: its reads measure the L1-miss, L2-hit path.
start_instance "$API_L2_PORT" Caching__LocalCopyMaxDuration=00:00:00
# A third with the rate limits on, each rule too high to refuse anything: its reads measure what the limiting costs.
limits=(RateLimits__Enabled=true)
for policy in Public Votes Credentials Members Tenants; do limits+=("RateLimits__Policies__${policy}__Limit=1000000000"); done
start_instance "$API_LIMITED_PORT" "${limits[@]}"
dotnet bench/Bench/bin/Release/net10.0/Bench.dll baseline-server "http://127.0.0.1:$BASELINE_PORT" > "$WORK/baseline.log" 2>&1 &
baseline=$!

for port in "$API_PORT" "$API_L2_PORT" "$API_LIMITED_PORT"; do wait_ready "http://127.0.0.1:$port"; done

dotnet bench/Bench/bin/Release/net10.0/Bench.dll report \
  "http://127.0.0.1:$API_PORT" "http://127.0.0.1:$API_L2_PORT" "http://127.0.0.1:$API_LIMITED_PORT" "http://127.0.0.1:$BASELINE_PORT" "$CONNECTION" "$SECONDS_PER_RUN"
