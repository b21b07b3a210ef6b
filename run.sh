#!/usr/bin/env bash
# Runs the product on this machine: PostgreSQL and Redis under .local/ on loopback ports,
# then the Release build of the Host at http://127.0.0.1:8080. Ctrl-C stops everything; a second run reuses the data.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
STATE="$PWD/.local"

install_prerequisites
echo "Building (Release)..."
dotnet build src/Host/Host.csproj -c Release -nologo -v quiet >/dev/null

cleanup() {
  stop_redis "$STATE/redis"
  stop_postgres "$STATE/postgres"
}
trap cleanup EXIT
start_postgres "$STATE/postgres" "$PG_PORT"
as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'polling'" | grep -q 1 \
  || as_postgres psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE polling"
start_redis "$STATE/redis" "$REDIS_PORT"

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ConnectionStrings__Postgres="${ConnectionStrings__Postgres:-Host=127.0.0.1;Port=$PG_PORT;Database=polling;Username=postgres;Maximum Pool Size=50}"
export Urls="${Urls:-http://127.0.0.1:8080}"
echo "API reference: $Urls/scalar   (OpenAPI: $Urls/openapi/v1.json)"
(cd src/Host/bin/Release/net10.0 && dotnet Host.dll)
