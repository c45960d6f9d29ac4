#!/usr/bin/env bash
# Runs ImageLab's three test layers (make test calls this after scripts/setup.sh):
#   1. native: cargo test of the core (it trains on Device::flex()), the UI crate, the
#      plain worker's build step (tools/wasm-no-simd) and the
#      command line (cli/: each command on small fixtures)
#   2. wasm:   wasm-bindgen-test in headless Chromium: WebGPU device + training steps in a worker
#   3. e2e:    the built app (trunk build) driven by playwright-core on /usr/bin/chromium
# `scripts/test.sh wasm` or `scripts/test.sh e2e` runs one layer.
#   release (not part of all; `make test-release`): the shipped build (trunk build --release:
#      fat LTO, panic = "abort", wasm-opt) under the end-to-end files that cover what differs
#      there — every lab opening, training, stop/resume, save/load, a lost GPU (app), both worker
#      builds (simd), the service worker offline from a sub-path (offline), the backbone
#      (transfer). About 20 minutes to build cold on 2 cores, then about 4 to run
#      (26 tests in 255 s here, 2026-12-06).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/imagelab/target}"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
layer="${1:-all}"
# The native packages, tested together: their features unify once, so the command line binary the
# tests run (target/debug/imagelab) is also the one tests/e2e/cli.test.mjs runs. The command line
# without its default `gpu` feature (the core with its own defaults): no test has a GPU here, and
# without burn's GPU stack the cold native build took 557 s instead of 1,206 s
# (scripts/bench/cold-test-2026-12-06-73466b5.log against cold-test-2026-12-06.log); `make lint`
# still checks that code.
NATIVE="-p imagelab-core -p imagelab -p imagelab-cli -p wasm-no-simd --no-default-features --features imagelab-core/default"
# clippy with no warnings (CODE_STYLE.md), in the test builds themselves: cargo compiles the
# workspace's own crates through clippy-driver, as `cargo clippy` does, but in the native tests',
# the wasm tests' and Trunk's builds, so a lint costs no second (check) build of the dependencies
# (those alone took 342 s natively, cold). A warning fails the build that meets it. Covered: the
# core, the page, the command line without `gpu` and tools/ natively (tests included), the page
# and both worker builds on wasm32 (the worker's tests included). `make lint` adds the command
# line with `gpu`. LINT=0 builds with rustc alone. The release layer never lints: the shipped
# build is rustc's own.
if [ "${LINT:-1}" != 0 ] && [ "$layer" != release ]; then
  # (rustup's proxy is on PATH even without the component: ask the driver itself.)
  clippy-driver --version >/dev/null 2>&1 || { echo "scripts/test.sh: no clippy (scripts/setup.sh adds it; LINT=0 skips it)" >&2; exit 2; }
  RUSTC_WORKSPACE_WRAPPER="$(command -v clippy-driver)"
  # CLIPPY_ARGS is how `cargo clippy` hands its `-- -D warnings` to clippy-driver.
  export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
fi
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
case "$layer" in
  all | native | wasm | e2e | release) ;;
  *) echo "scripts/test.sh: unknown layer '$layer' (use native, wasm, e2e, release, or nothing for all)" >&2; exit 2 ;;
esac

if [ "$layer" = all ] || [ "$layer" = native ]; then
  # The worker is wasm-only in practice (its WebGPU path needs a browser): layer 2 tests it.
  say "1/3 native: cargo fmt --check (rustfmt.toml), then cargo test (core, UI crate, command line, tools/wasm-no-simd)"
  cargo fmt --all -- --check
  cargo test $NATIVE
fi

if [ "$layer" = all ] || [ "$layer" = wasm ]; then
  say "2/3 browser: wasm-bindgen-test (WebGPU in headless Chromium)"
  export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
  export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-900}"
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  # webdriver.json (Chromium flags, --enable-unsafe-webgpu) is read from the package directory.
  # Built with the SIMD worker's flags, in its target folder (scripts/workers.mjs), so the two
  # share compiled crates (debug profile, as `trunk build`); the fallback build's training runs
  # in tests/e2e/simd.test.mjs.
  CARGO_TARGET_DIR="$CARGO_TARGET_DIR/simd128" RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C target-feature=+simd128" \
    cargo test -p imagelab-worker --target wasm32-unknown-unknown --test webgpu
fi

if [ "$layer" = all ] || [ "$layer" = e2e ]; then
  say "3/3 end-to-end: trunk build, then node --test tests/e2e/"
  trunk build
  # tests/e2e/cli.test.mjs passes model files between the page and the native binary: the native
  # layer's build (nothing to do after it). A `cargo build -p imagelab-cli` would build the core
  # again with that package's features alone.
  cargo test --no-run $NATIVE
  # The phone layout check checks itself first (each bad page must fail with its own problem).
  node tests/e2e/layout.selftest.mjs
  # Files, not the folder: Node 22+ reads a folder argument as a file name.
  node --test --test-concurrency=1 tests/e2e/*.test.mjs
  echo "screenshots: tests/e2e/artifacts/"
fi

if [ "$layer" = release ]; then
  say "release: trunk build --release, then the end-to-end files that cover the shipped build"
  trunk build --release --dist dist-release
  DIST="$PWD/dist-release" node --test --test-concurrency=1 \
    tests/e2e/app.test.mjs tests/e2e/simd.test.mjs tests/e2e/offline.test.mjs tests/e2e/transfer.test.mjs
fi
