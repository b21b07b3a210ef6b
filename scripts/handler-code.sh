#!/usr/bin/env bash
# Writes Wolverine's handler pipelines into src/Host/Internal/Generated, where they are committed: the Host loads
# them instead of compiling each with Roslyn at start-up (ADR 0011). Run it after adding, changing or removing a
# message handler. With --check (test.sh) it also fails when that changed anything: the committed code was stale.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

generated=src/Host/Internal/Generated
committed="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$committed" "$log"' EXIT
[ ! -d "$generated" ] || cp -r "$generated/." "$committed"

build_host
rm -rf "$generated"
# Codegen only builds the Host's services, so the settings it insists on are given but nothing is connected to.
nowhere="Host=127.0.0.1;Port=1;Username=codegen;Database=codegen"
if ! (cd src/Host && env ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Catalog="$nowhere" \
    Sharding__Shards__codegen="$nowhere" ConnectionStrings__Redis=127.0.0.1:1 \
    dotnet bin/Release/net10.0/Host.dll codegen write >"$log" 2>&1); then
  cat "$log"; exit 1
fi
# Wolverine's list of handler types is read only in its Static mode, which the Host does not use (WolverineSetup).
rm -f "$generated/WolverineHandlers/GeneratedHandlerRegistry.cs"

if [ "${1:-}" = "--check" ] && ! diff -r "$committed" "$generated"; then
  echo "The generated handler code in $generated was out of date; it is rewritten now: review and commit it." >&2
  exit 1
fi
echo "Handler code in $generated: $(ls "$generated/WolverineHandlers" | wc -l) pipelines."
