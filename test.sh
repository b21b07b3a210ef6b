#!/usr/bin/env bash
# Runs the whole test suite: unit, architecture, integration (PostgreSQL and Redis in containers that the fixtures
# start through Testcontainers) and browser (Debian's headless Chromium). Installs what it needs first: a Docker
# engine if none answers, and the images (official, or stand-ins built here when no registry answers).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/lib.sh
source scripts/containers.sh

# Chromium for the browser test; PostgreSQL and Redis for the test of run.sh, which runs them as the README says.
install_prerequisites --with-browser
npm ci --prefix tests/Browser --no-audit --no-fund --silent
npm ci --prefix tests/OpenApi --no-audit --no-fund --silent
ensure_container_engine
trap stop_container_engine EXIT
ensure_test_images
export_testcontainers_settings
dotnet build ModularMonolith.sln -c Release -nologo -v quiet
# The committed handler pipelines must be what the handlers generate today (a stale one would be compiled at start-up).
scripts/handler-code.sh --check

log="$(mktemp)"
status=0
dotnet test ModularMonolith.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# One closing line over all test assemblies: "N passed, N failed, N skipped".
awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { failed += $2; passed += $4; skipped += $6 }
  END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"
exit "$status"
