// Starts ImageLab's training worker (wasm-bindgen "no-modules" output, built by trunk).
// A failure to fetch or compile the wasm is reported to the page in words instead of silence.
// The wasm memory is kept as self.imagelabMemory so the long-run benchmark
// (tests/bench/longrun.mjs) can read its size.
try {
  importScripts('./imagelab-worker.js');
  wasm_bindgen('./imagelab-worker_bg.wasm')
    .then((exports) => { self.imagelabMemory = exports.memory; })
    .catch((e) => postMessage({ loadError: String(e) }));
} catch (e) {
  postMessage({ loadError: String(e) });
}
