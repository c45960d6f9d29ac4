// Starts ImageLab's training worker (wasm-bindgen "no-modules" output, built by trunk).
// A failure to fetch or compile the wasm is reported to the page in words instead of silence.
try {
  importScripts('./imagelab-worker.js');
  wasm_bindgen('./imagelab-worker_bg.wasm').catch((e) => postMessage({ loadError: String(e) }));
} catch (e) {
  postMessage({ loadError: String(e) });
}
