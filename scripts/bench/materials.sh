#!/usr/bin/env bash
# From scratch vs transfer learning (issue #19) on the built-in photo set www/data/materials.zip
# (brick, grass, gravel: 3 × 20 phone-style close-ups, scripts/make-materials.py), with the native
# CLI on the same core as the page, flex CPU backend, 5-fold, seed 42 (the CLI's default).
# Prints the backbone's feature time and each run's building/validation accuracy, wall time and
# peak memory.
#   scripts/bench/materials.sh [path/to/imagelab] | tee scripts/bench/materials-$(date +%F).log
set -euo pipefail
B=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/imagelab/target}/debug/imagelab}
Z=www/data/materials.zip
run() {
  echo "\$ imagelab $*"
  /usr/bin/time -f "wall %e s, peak memory %M KB" "$B" "$@" --device cpu --quiet 2>&1 | grep -E "^features|-fold:|^wall"
}
for size in 160 128; do
  run train "$Z" --size "$size" --backbone efficientnet-lite0 --backbone-file www/models/efficientnet-lite0-f16.bpk --epochs 20 --batch-size 16 --kfold 5
done
for epochs in 20 60; do
  run train "$Z" --size 64 --epochs "$epochs" --batch-size 16 --kfold 5
done
run train "$Z" --size 64 --model deeper-cnn --epochs 20 --batch-size 16 --kfold 5
