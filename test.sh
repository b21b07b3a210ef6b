#!/usr/bin/env bash
# Runs the whole test suite: unit, architecture, integration (a real PostgreSQL started by the fixtures)
# and browser (Debian's headless Chromium). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh

install_prerequisites --with-browser
npm ci --prefix tests/Browser --no-audit --no-fund --silent
dotnet build ModularMonolith.sln -c Release -nologo -v quiet

log="$(mktemp)"
status=0
dotnet test ModularMonolith.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies: "N passed, N failed, N skipped".
awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { failed += $2; passed += $4; skipped += $6 }
  END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"
exit "$status"
