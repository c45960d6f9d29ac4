// Starts ImageLab's training worker (wasm-bindgen "no-modules" output). Two builds sit beside
// this file (scripts/workers.mjs): imagelab-worker-simd (WebAssembly SIMD; burn's fast CPU
// kernels) and imagelab-worker (plain WebAssembly, for browsers without SIMD, e.g. Safari 16.0 to
// 16.3). simd.js asks the browser which one it can run. `worker-loader.js?simd=0` forces the plain
// build (the page passes its own `?simd=0` on: tests and benchmarks run the fallback with it in a
// browser that has SIMD).
// A failure to fetch or compile the wasm is reported to the page in words instead of silence.
// The wasm memory is kept as self.imagelabMemory so the long-run benchmark
// (tests/bench/longrun.mjs) can read its size.
try {
  importScripts('./simd.js');
  const forcedPlain = new URLSearchParams(self.location.search).get('simd') === '0';
  const name = !forcedPlain && self.imagelabHasSimd() ? 'imagelab-worker-simd' : 'imagelab-worker';
  importScripts(`./${name}.js`);
  wasm_bindgen(`./${name}_bg.wasm`)
    .then((exports) => { self.imagelabMemory = exports.memory; })
    .catch((e) => postMessage({ loadError: String(e) }));
} catch (e) {
  postMessage({ loadError: String(e) });
}
