#!/usr/bin/env bash
# Runs the whole test suite from a clean checkout: installs what it needs, starts the embedded single-host Slurm,
# runs every test (unit, integration with real Slurm and PyTorch, browser), and ends with `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --with-browser || exit $?
bash scripts/slurm-local.sh start || { echo "test.sh: could not start the local Slurm" >&2; exit 8; }

report="$(mktemp -d)/vitest.json"
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?
node scripts/test-summary.mjs "$report" || status=1
exit "$status"
