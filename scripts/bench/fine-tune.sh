#!/usr/bin/env bash
# Frozen backbone vs fine-tuning its last 0, 1, 2 or 5 blocks (issue #19) with the native CLI on
# the same core as the page (flex CPU backend, debug build with optimised dependencies): the
# phone-lesson photos (3 classes × 24) at 160 px, 5-fold. Prints the feature time, each run's
# building/validation accuracy, its wall time and peak memory. (The digits with 10 images per
# class are left out: every epoch validates 3,900 images through the unfrozen blocks, over 20
# minutes per run here.)
#   scripts/bench/fine-tune.sh [path/to/imagelab] | tee scripts/bench/fine-tune-$(date +%F).log
set -euo pipefail
B=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/imagelab/target}/debug/imagelab}
run() { echo "\$ imagelab $*"; /usr/bin/time -f "%e s wall, %M KB peak" "$B" "$@" --device cpu --quiet 2>&1 | grep -E "^features|^building|-fold:| s wall"; }
for k in 0 1 2 5; do
  run train tests/e2e/fixtures/lesson-photos --size 160 --backbone efficientnet-lite0 --unfreeze "$k" --epochs 20 --batch-size 16 --kfold 5
done
