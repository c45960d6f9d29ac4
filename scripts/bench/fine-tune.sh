#!/usr/bin/env bash
# Frozen backbone vs fine-tuning its last blocks (issue #19) with the native CLI on the same core
# as the page (flex CPU backend): the phone-lesson photos (3 classes × 24) at 160 px, and the
# built-in digits with 10 training images per class (validation 97.5 %) at 128 px — the case where
# the frozen ImageNet features lose to a small CNN from scratch (scripts/bench/transfer.sh).
# Prints the feature time and each run's building/validation accuracy.
#   scripts/bench/fine-tune.sh [path/to/imagelab] | tee scripts/bench/fine-tune-$(date +%F).log
set -euo pipefail
B=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/imagelab/target}/debug/imagelab}
run() { echo "\$ imagelab $*"; /usr/bin/time -f "%e s wall, %M KB peak" "$B" "$@" --device cpu --quiet 2>&1 | grep -E "^features|^building|-fold:| s wall"; }
for k in 0 1 2 5; do
  run train tests/e2e/fixtures/lesson-photos --size 160 --backbone efficientnet-lite0 --unfreeze "$k" --epochs 20 --batch-size 16 --kfold 5
done
for k in 0 2 5; do
  run train digits --backbone efficientnet-lite0 --size 128 --unfreeze "$k" --epochs 60 --batch-size 8 --validation-fraction 0.975
done
