#!/usr/bin/env bash
# Compares two release bundles (trunk build --release --dist DIR) file by file, raw and gzip -9,
# as scripts/bench/bundle-sizes-*.log show them:
#   scripts/bench/bundle-compare.sh BEFORE_DIST AFTER_DIST
# Sizes by: stat -c %s FILE; gzip -9 -c FILE | wc -c
set -euo pipefail
before="${1:?before: a dist folder}"
after="${2:?after: a dist folder}"
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f%%", (b - a) * 100 / a }'; }
for f in imagelab-web_bg.wasm imagelab-web.js imagelab-worker-simd_bg.wasm imagelab-worker-simd.js imagelab-worker_bg.wasm imagelab-worker.js; do
  rb=$(stat -c %s "$before/$f"); ra=$(stat -c %s "$after/$f")
  gb=$(gzip -9 -c "$before/$f" | wc -c); ga=$(gzip -9 -c "$after/$f" | wc -c)
  printf '%-30s raw %9d -> %9d (%s)  gzip %8d -> %8d (%s)\n' "$f" "$rb" "$ra" "$(pct "$rb" "$ra")" "$gb" "$ga" "$(pct "$gb" "$ga")"
done
