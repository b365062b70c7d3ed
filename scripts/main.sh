#!/usr/bin/env bash
# The README's main job: installs what it needs, then runs trainbench's embedded default end to end.
# Extra arguments go to `trainbench run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/trainbench.js run "$@"
