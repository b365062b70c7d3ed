#!/usr/bin/env bash
# Packs trainbench for a machine that has Python and PyTorch but no Node.js and no package registry (a GPU node of
# a cluster, a cloud instance): the built CLI with its production dependencies, the catalog, the workload, and this
# machine's Node binary, xz-compressed. On the target: `bash PACK/unpack.sh DEST`, then `DEST/trainbench ...`.
#
#   bash scripts/pack.sh [PACK_DIR]      (default: .pack/, ignored by git)
#
# The target must be the same CPU architecture and have a glibc at least as new as this machine's (Node and
# better-sqlite3's native module are copied as built here). Exit 8 when a tool it needs is missing.
# TRAINBENCH_PACK_XZ_LEVEL (default 6): xz preset; 0 packs in seconds at about twice the size (tests use it).
# TRAINBENCH_PACK_NO_BUILD=1: pack the dist/ already built instead of building it first.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pack="${1:-$root/.pack}"
for tool in node npm tar xz; do
  command -v "$tool" >/dev/null || { echo "pack: '$tool' not found; run bash scripts/setup.sh first" >&2; exit 8; }
done
[ -d "$root/node_modules" ] || { echo "pack: node_modules missing; run bash scripts/setup.sh first" >&2; exit 8; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
if [ "${TRAINBENCH_PACK_NO_BUILD:-0}" != 1 ]; then (cd "$root" && npm run -s build); fi
[ -f "$root/dist/cli/main.js" ] || { echo "pack: dist/ is not built; run npm run build" >&2; exit 8; }
mkdir -p "$stage/app"
cp -a "$root/package.json" "$root/package-lock.json" "$root/bin" "$root/dist" "$root/data" "$stage/app/"
# The workload without caches; its tests are TypeScript and need the dev tools, so they stay behind.
mkdir -p "$stage/app/workload"
(cd "$root/workload" && tar cf - --exclude=__pycache__ --exclude='*.pyc' --exclude='*.test.ts' --exclude=__tests__ .) |
  (cd "$stage/app/workload" && tar xf -)
# Production dependencies only: copy what setup installed (native modules already built) and prune the dev tools,
# offline, so packing needs no registry either.
cp -a "$root/node_modules" "$stage/app/"
(cd "$stage/app" && npm prune --omit=dev --no-audit --no-fund --offline >/dev/null)

rm -rf "$pack" && mkdir -p "$pack"
level="${TRAINBENCH_PACK_XZ_LEVEL:-6}"
tar cf - -C "$stage/app" . | xz -T0 "-$level" > "$pack/app.tar.xz"
xz -T0 "-$level" -c "$(command -v node)" > "$pack/node.xz"
cat > "$pack/unpack.sh" <<'UNPACK'
#!/usr/bin/env bash
# Unpacks trainbench into DEST (default /tmp/trainbench) and writes DEST/trainbench, a launcher using the bundled Node.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${1:-/tmp/trainbench}"
mkdir -p "$dest"
xz -dc "$here/app.tar.xz" | tar xf - -C "$dest"
xz -dc "$here/node.xz" > "$dest/node" && chmod +x "$dest/node"
printf '#!/bin/sh\nexec "%s/node" "%s/bin/trainbench.js" "$@"\n' "$dest" "$dest" > "$dest/trainbench"
chmod +x "$dest/trainbench"
"$dest/trainbench" --version >/dev/null
echo "$dest/trainbench"
UNPACK
chmod +x "$pack/unpack.sh"
echo "pack: $pack ($(du -sh "$pack" | cut -f1)): app.tar.xz $(du -h "$pack/app.tar.xz" | cut -f1), node.xz $(du -h "$pack/node.xz" | cut -f1)"
