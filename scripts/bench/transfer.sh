#!/usr/bin/env bash
# From scratch vs transfer learning (issue #19) with the native CLI on the same core as the page,
# on the flex CPU backend: the phone-lesson photos (3 classes × 24, tests/e2e/fixtures/lesson-photos)
# and the built-in digits with 10 and 20 training images per class (validation 97.5 % / 95 %).
# Prints the backbone's feature time per image and each run's building/validation accuracy.
#   scripts/bench/transfer.sh [path/to/imagelab] | tee scripts/bench/transfer-$(date +%F).log
set -euo pipefail
B=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/imagelab/target}/debug/imagelab}
run() { echo "\$ imagelab $*"; "$B" "$@" --device cpu --quiet 2>&1 | grep -E "^features|^building|-fold:"; }
run train tests/e2e/fixtures/lesson-photos --size 160 --backbone efficientnet-lite0 --epochs 20 --batch-size 16
run train tests/e2e/fixtures/lesson-photos --size 160 --backbone efficientnet-lite0 --epochs 20 --batch-size 16 --kfold 5
run train tests/e2e/fixtures/lesson-photos --size 64 --epochs 20 --batch-size 16 --kfold 5
for frac in 0.975 0.95; do
  run train digits --backbone efficientnet-lite0 --size 128 --epochs 60 --batch-size 8 --validation-fraction "$frac"
  run train digits --epochs 60 --batch-size 8 --validation-fraction "$frac"
done
