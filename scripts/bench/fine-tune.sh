#!/usr/bin/env bash
# Frozen backbone vs fine-tuning its last blocks (issue #19) with the native CLI on the same core
# as the page (flex CPU backend, debug build with optimised dependencies), printing the feature
# time, each run's building/validation accuracy, its wall time and peak memory:
# - the phone-lesson photos (3 classes × 24) at 160 px, 5-fold, the last 0, 1, 2 or 5 blocks;
# - the built-in digits with 10 training images per class (3,900 validated) at 128 px, the last
#   0, 1 or 2 blocks. Fine-tuning measures the curve's points on the way on a sample of 500
#   validation images (`imagelab_core::nn::train::CURVE_SAMPLE`), the last point on all.
#   scripts/bench/fine-tune.sh [path/to/imagelab] | tee scripts/bench/fine-tune-$(date +%F).log
set -euo pipefail
B=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/imagelab/target}/debug/imagelab}
run() { echo "\$ imagelab $*"; /usr/bin/time -f "%e s wall, %M KB peak" "$B" "$@" --device cpu --quiet 2>&1 | grep -E "^features|^building|-fold:| s wall|^trained"; }
for k in 0 1 2 5; do
  run train tests/e2e/fixtures/lesson-photos --size 160 --backbone efficientnet-lite0 --unfreeze "$k" --epochs 20 --batch-size 16 --kfold 5
done
for k in 0 1 2; do
  run train digits --size 128 --backbone efficientnet-lite0 --unfreeze "$k" --epochs 20 --batch-size 8 --validation-fraction 0.975
done
