#!/usr/bin/env bash
# Fuzzes every parser of outside input in the core with libFuzzer (cargo-fuzz), each target for a
# bounded time: `make fuzz` (60 s per target), or `scripts/fuzz.sh SECONDS [TARGET...]`.
#
# Needs nightly Rust (installed here if missing) and cargo-fuzz. Seeds: fuzz/corpus/<target>/
# and the bad-input corpus tests/bad-inputs/; what libFuzzer learns goes to a scratch corpus
# outside the clone ($HOME/.cache/imagelab/fuzz-corpus), so the committed seeds stay small. A
# crash lands in fuzz/artifacts/<target>/: copy it into fuzz/regressions/<target>/, and
# `cargo test` (imagelab-core/tests/fuzz_corpus.rs) replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(image_decode zip_import label_file experiment_url model_file submission table)

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
target_dir="$HOME/.cache/imagelab/fuzz-target"
scratch="$HOME/.cache/imagelab/fuzz-corpus"
log="$HOME/.cache/imagelab/fuzz-logs"
mkdir -p "$log"

# -a: debug assertions (integer overflow is a finding too).
cargo +nightly fuzz build -a --target-dir "$target_dir"

status=0
printf '%-16s %8s %12s %10s  %s\n' target seconds execs exec/s result
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t"
  # -rss_limit_mb: a parser may use memory, but never without bound (the caps hold);
  # -timeout: one input may take at most 10 s.
  if cargo +nightly fuzz run -a --target-dir "$target_dir" "$t" "$scratch/$t" "fuzz/corpus/$t" tests/bad-inputs -- \
      -max_total_time="$seconds" -rss_limit_mb=3072 -timeout=10 -print_final_stats=1 >"$log/$t.log" 2>&1; then
    result=ok
  else
    result="FOUND SOMETHING: see $log/$t.log and fuzz/artifacts/$t/"
    status=1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log/$t.log" | grep -o '[0-9]*$' | tail -1 || true)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log/$t.log" | grep -o '[0-9]*$' | tail -1 || true)
  printf '%-16s %8s %12s %10s  %s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "$result"
done
exit $status
