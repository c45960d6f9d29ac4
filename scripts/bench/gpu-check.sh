#!/usr/bin/env bash
# The one prepared check for a lent GPU machine (not CI, not a test): the native `imagelab`
# binary trains on the GPU through burn's wgpu backend (Vulkan), beside the flex CPU backend and
# PyTorch (CPU and CUDA) on the same reference CNN and batch; then a model trained on the GPU is
# measured on the CPU (the model file does not depend on the device).
#
#   cargo build --profile native -p imagelab-cli --features vulkan
#   mkdir -p .bin && xz -c "$CARGO_TARGET_DIR/native/imagelab" > .bin/imagelab.xz   # 80 MB → 13 MB
#   (.bin/ and .gl/ are git-ignored; .gl/ holds the Vulkan/GL loader .debs, see the device
#   tool's README) then on the GPU machine:  bash scripts/bench/gpu-check.sh
set -u
cd "$(dirname "$0")/../.."
OUT="${OUT:-/tmp/gpu-check}"
mkdir -p "$OUT"
B="${IMAGELAB_BIN:-/tmp/imagelab}"
if [ ! -x "$B" ] && [ -f .bin/imagelab.xz ]; then
  python3 -c "import lzma, shutil; shutil.copyfileobj(lzma.open('.bin/imagelab.xz'), open('$B', 'wb'))"
  chmod +x "$B"
fi
if [ -d .gl ]; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd"
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES="$egl"

run() { echo; echo "\$ $*"; timeout 240 "$@" 2>&1; echo "(exit $?)"; }

{
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm --format=csv
  nproc
  run "$B" bench --device cpu --device wgpu --steps 100 --warmup 10
  run "$B" bench --device wgpu --steps 50 --warmup 5 --batch-size 1024
  run python3 scripts/bench/torch_bench.py --steps 100 --warmup 10
  run python3 scripts/bench/torch_bench.py --steps 50 --warmup 5 --batch-size 1024 --devices cpu,cuda
  run "$B" train digits --model small-cnn --epochs 3 --device wgpu --quiet --out "$OUT/wgpu-model.bpk"
  run "$B" evaluate "$OUT/wgpu-model.bpk" digits --device cpu
  run "$B" train digits --model deeper-cnn --epochs 2 --device wgpu --quiet
} | tee "$OUT/gpu-check.log"
