#!/usr/bin/env bash
# The table lab's course examples (issue #20) with the native CLI on the same core as the page
# (flex CPU, debug build with optimised dependencies), each with its wall time and peak memory,
# then the parity test's own numbers (the course's network against Keras on the same split).
#   scripts/bench/table.sh [path/to/imagelab] | tee scripts/bench/table-$(date +%F).log
set -euo pipefail
B=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/imagelab/target}/debug/imagelab}
run() { echo "\$ imagelab $*"; /usr/bin/time -f "%e s wall, %M KB peak" "$B" "$@" 2>&1; echo; }
T=www/data/tables
run table train $T/diabetes.csv --target target --model linear --cv 3
run table train $T/breast_cancer.csv --target target --model logistic --cv 3
run table train $T/breast_cancer.csv --target target --model tree --max-depth 3 --cv 3
run table train $T/breast_cancer.csv --target target --model mlp --holdout 0.3
run table train $T/iris.csv --target target --model tree --max-depth 3 --cv 3
run table train imagelab-core/tests/data/bank_like.csv --target y --model mlp --holdout 0.3
echo "\$ cargo test -p imagelab-core --test table -- --nocapture   (scikit-learn / Keras numbers: imagelab-core/tests/data/sklearn_tables.json)"
cargo test -q -p imagelab-core --offline --test table -- --nocapture 2>&1 | grep -E "network|logistic regression|bank-like|test result"
