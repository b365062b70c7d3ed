#!/usr/bin/env bash
# Installs everything trainbench needs on a Debian 12 machine, idempotently:
#   system packages (PyTorch for the reference workload, Slurm + munge for the embedded scheduler, Chromium for the
#   browser tests, shellcheck for rendered scripts), then the npm dependencies, then the TypeScript build.
# Usage: scripts/setup.sh [--no-system] [--with-browser]
set -euo pipefail
cd "$(dirname "$0")/.."

want_system=1
want_browser=0
for arg in "$@"; do
  case "$arg" in
    --no-system) want_system=0 ;;
    --with-browser) want_browser=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || missing+=("$1"); }
if [ "$want_system" = 1 ] && command -v dpkg-query >/dev/null; then
  for pkg in python3-torch python3-numpy slurm-wlm munge shellcheck hyperfine xz-utils iproute2 procps; do need "$pkg"; done
  [ "$want_browser" = 1 ] && need chromium
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "setup.sh: missing Debian packages: ${missing[*]} (run as root or install them with apt-get)" >&2
      exit 8
    fi
    echo "setup.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

lock_hash=$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f node_modules/.trainbench-lock-"$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.trainbench-lock-"$lock_hash"
fi
npm run --silent build
