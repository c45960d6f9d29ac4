#!/usr/bin/env bash
# Benchmarks (numbers, not pass/fail): bundle sizes of the release build, raw and gzip, and
# training speed and live image filters in headless Chromium beside the peers (TF.js, OpenCV.js),
# and native training steps of the command line beside PyTorch. Builds dist-release/ first if missing
# (fat LTO + wasm-opt, the page and the worker's two builds: about 20 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/imagelab/target}"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# (simd.js: a dist-release/ from before the worker's two builds is rebuilt.)
if [ ! -f dist-release/simd.js ] || [ "${REBUILD:-0}" = 1 ]; then
  trunk build --release --dist dist-release
fi
echo "Bundle sizes (release: lto=fat, opt-level=s, codegen-units=1, wasm-opt -Oz)"
printf '%-34s %12s %12s   %s\n' file raw gzip-9 aim
for f in imagelab-web_bg.wasm imagelab-web.js imagelab-worker-simd_bg.wasm imagelab-worker-simd.js imagelab-worker_bg.wasm imagelab-worker.js; do
  raw=$(stat -c %s "dist-release/$f"); gz=$(gzip -9 -c "dist-release/$f" | wc -c)
  aim=""; case $f in imagelab-web_bg.wasm) aim="UI ≤ 1 MB gzip";; imagelab-worker-simd_bg.wasm) aim="worker ≤ 4 MB gzip (naive: 38 MB raw)";; imagelab-worker_bg.wasm) aim="the same, without SIMD (fallback)";; esac
  printf '%-34s %12s %12s   %s\n' "$f" "$raw" "$gz" "$aim"
done
node tests/bench/bench.mjs
node tests/bench/tfjs-bench.mjs
node tests/bench/transfer-bench.mjs
node tests/bench/image-bench.mjs
node tests/bench/data-bench.mjs
# The native command line on this machine's CPU (and a GPU, if wgpu finds one), beside PyTorch on
# the same reference CNN when python3 has torch (the GPU machine's numbers:
# scripts/bench/gpu-check-h200-2026-11-28.log).
cargo build --profile native -p imagelab-cli
"$CARGO_TARGET_DIR/native/imagelab" bench --device cpu --device auto --steps 50
if python3 -c 'import torch' 2>/dev/null; then
  python3 scripts/bench/torch_bench.py --steps 50 --devices cpu,cpu1,cuda
else
  echo "(PyTorch is not installed here: pip install torch --index-url https://download.pytorch.org/whl/cpu, then rerun)"
fi
