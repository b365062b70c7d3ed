#!/usr/bin/env bash
# Runs every benchmark in bench/ one after the other, each printing its own side-by-side ratios (speed goals live
# here, never as timed assertions in the tests). Sizes default to a quick pass (about 5 minutes on a 2-core
# machine); --full uses the sizes the README figures were measured at (much longer).
#   bash scripts/bench.sh [--full] [--only ingest|data|plan|store|report|faults]
set -euo pipefail
cd "$(dirname "$0")/.."

full=0
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) full=1 ;;
    --only) only="${2:?--only needs a name}"; shift ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

[ -d node_modules ] || { echo "bench.sh: run bash scripts/setup.sh first (node_modules missing)" >&2; exit 8; }
vn() { node node_modules/vite-node/vite-node.mjs "$@"; } # runs a TypeScript bench file

run() { # name, then the command
  local name="$1"; shift
  if [ -n "$only" ] && [ "$only" != "$name" ]; then return 0; fi
  echo
  echo "=== bench: $name ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)) ==="
  "$@"
}

if [ "$full" = 1 ]; then
  run ingest vn bench/ingest/ingest.bench.ts -- --mb 1000 --rounds 3
  run ingest vn bench/ingest/ingest.bench.ts -- --mb 1000 --rounds 3 --noise 20
  run data vn bench/data/prepare.bench.ts -- --mb 200
  run store vn bench/store/list.ts
  run report vn bench/report/report.ts
  run faults vn bench/faults/run.ts
else
  run ingest vn bench/ingest/ingest.bench.ts -- --mb 200 --rounds 3
  run ingest vn bench/ingest/ingest.bench.ts -- --mb 200 --rounds 3 --noise 20
  run data vn bench/data/prepare.bench.ts -- --mb 20
  run store vn bench/store/list.ts 2000
  run report vn bench/report/report.ts 10000
fi
run plan vn bench/plan/search-405b.ts
