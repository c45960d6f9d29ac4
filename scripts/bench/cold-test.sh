#!/usr/bin/env bash
# How long `make test` takes on a fresh machine, as a new user (or CI with empty caches) meets it:
# a fresh clone of HEAD, a fresh CARGO_HOME (registry downloaded again, trunk and wasm-bindgen-cli
# installed again by scripts/setup.sh), a fresh target folder and no node_modules. The Rust
# toolchain (rustup), apt packages and pip packages are the machine's, as on CI.
#
#   scripts/bench/cold-test.sh [OUT.log]     (default scripts/bench/cold-test-DATE.log)
#
# Writes the seconds since the start before every line of `make test`'s output to a scratch log,
# and to OUT the stage lines (setup's installs, each test layer, cargo's "Finished" lines, the test
# counts) with the total. About an hour on 2 cores; nothing else should run meanwhile.
set -euo pipefail
caller="$PWD"
cd "$(dirname "$0")/../.."
if [ -n "${1:-}" ]; then out="$(cd "$caller" && realpath -m "$1")"; else out="$PWD/scripts/bench/cold-test-$(date -u +%F).log"; fi
work="$(mktemp -d /tmp/imagelab-cold.XXXXXX)"
rev="$(git rev-parse --short HEAD)"
git clone -q "$PWD" "$work/clone"
mkdir -p "$work/home/.cargo/bin"
# rustup's proxies only: no trunk, wasm-bindgen or anything else cargo installed before.
for t in cargo rustc rustup rustfmt cargo-fmt rustdoc cargo-clippy clippy-driver; do
  ln -s "$(command -v rustup)" "$work/home/.cargo/bin/$t"
done
[ -f "$HOME/.npmrc" ] && cp "$HOME/.npmrc" "$work/home/"
rustup_home="${RUSTUP_HOME:-$HOME/.rustup}"
# The PATH without rustup's folder (where an earlier trunk would be found) or node_modules.
rustup_bin="$(dirname "$(command -v rustup)")"
clean_path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -x -F -e "$rustup_bin" -e "$HOME/.cargo/bin" | grep -v node_modules | paste -sd: -)"
start=$(date +%s)
set +e
(
  cd "$work/clone"
  # Nothing of this shell's build setup reaches it (a compiler cache, flags, job counts, caches).
  env -u CARGO_TARGET_DIR -u RUSTC_WRAPPER -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_JOBS \
    -u CARGO_INCREMENTAL -u npm_config_cache -u XDG_CACHE_HOME HOME="$work/home" CARGO_HOME="$work/home/.cargo" RUSTUP_HOME="$rustup_home" \
    PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}" \
    PATH="$clean_path" make test 2>&1
) | python3 -u -c "
import sys, time
for line in sys.stdin:
    sys.stdout.write('%6d %s' % (time.time() - $start, line))
" > "$work/make-test.log"
rc=${PIPESTATUS[0]}
set -e
total=$(( $(date +%s) - start ))
{
  echo "# cold make test of a clone of $rev, ended $(date -u +%FT%TZ), $(nproc) cores"
  echo "# seconds since the start, then the line (full log: ${out%.log}.full.txt, not committed)"
  sed 's/\x1b\[[0-9;]*m//g' "$work/make-test.log" \
    | grep -E '\[setup\]|== |Finished `|Installed package|^ *[0-9]+ (# )?(tests|pass|fail) |test result: FAILED|✅ success' || true
  echo "exit $rc after $total s ($(( total / 60 )) min $(( total % 60 )) s)"
} > "$out"
cat "$out"
# The clone, its target folder and CARGO_HOME (gigabytes); the full log stays beside the summary.
cp "$work/make-test.log" "${out%.log}.full.txt"
rm -rf "$work"
exit "$rc"
