#!/usr/bin/env bash
# Runs the Python the table lab shows (`imagelab table train … --code`, the same
# table::run::python_code as the page) with real pandas, scikit-learn and Keras, beside
# ImageLab's own numbers: the code must run as printed, and give numbers of the same size (the
# rows are split by another generator, so not the same ones).
# Needs the venv of scripts/table/make_keras_reference.py (keras, jax, scikit-learn, pandas):
#   scripts/table/run-generated-code.sh [path/to/imagelab] | tee scripts/table/run-generated-code-$(date +%F).log
set -euo pipefail
B=${1:-${CARGO_TARGET_DIR:-$HOME/.cache/imagelab/target}/debug/imagelab}
PY=${PY:-/tmp/kerasvenv/bin/python}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root"/www/data/tables/*.csv "$root"/imagelab-core/tests/data/bank_like.csv "$work"
cd "$work"
n=0
while read -r args; do
  n=$((n + 1))
  echo "\$ imagelab table train $args --code"
  "$B" table train $args --code > "out$n.txt"
  grep -E "per fold" "out$n.txt" | sed 's/^/  ImageLab: /'
  awk '/^import pandas/{p=1} p' "out$n.txt" > "prog$n.py"
  KERAS_BACKEND=jax "$PY" "prog$n.py" 2> "err$n.txt" | sed "s/^/  Python:   /"; echo
done <<'RUNS'
diabetes.csv --target target --model linear --cv 3
breast_cancer.csv --target target --model logistic
breast_cancer.csv --target target --model tree --max-depth 3 --cv 3
iris.csv --target target --model mlp --cv 3 --epochs 30
diabetes.csv --target target --model mlp --learning-rate 0.01 --epochs 60
bank_like.csv --target y --model mlp
RUNS
KERAS_BACKEND=jax "$PY" -c 'import keras, sklearn, pandas, jax; print(f"keras {keras.__version__} (jax {jax.__version__}), scikit-learn {sklearn.__version__}, pandas {pandas.__version__}")'
