// Starts ImageLab's training worker (wasm-bindgen "no-modules" output). Two builds sit beside
// this file: imagelab-worker-simd (WebAssembly SIMD; burn's fast CPU kernels) and
// imagelab-worker (plain WebAssembly, for browsers without SIMD, e.g. Safari before 16.4). A
// module with SIMD instructions does not even compile where SIMD is missing, so the choice is made
// here, by asking the browser to validate a 40-byte module with one SIMD instruction:
//   (module (func (result v128) (v128.const i32x4 0 0 0 0)))
// `worker-loader.js?simd=0` forces the plain build (the page passes its own `?simd=0` on: tests
// and benchmarks use it to run the fallback in a browser that has SIMD).
// A failure to fetch or compile the wasm is reported to the page in words instead of silence.
// The wasm memory is kept as self.imagelabMemory so the long-run benchmark
// (tests/bench/longrun.mjs) can read its size.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: one func type [] → [v128]
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, // code section: one body of 20 bytes, no locals
  0xfd, 0x0c, ...new Array(16).fill(0), // v128.const 0
  0x0b, // end
]);
try {
  const forcedPlain = new URLSearchParams(self.location.search).get('simd') === '0';
  const simd = !forcedPlain && WebAssembly.validate(SIMD_PROBE);
  const name = simd ? 'imagelab-worker-simd' : 'imagelab-worker';
  importScripts(`./${name}.js`);
  wasm_bindgen(`./${name}_bg.wasm`)
    .then((exports) => { self.imagelabMemory = exports.memory; })
    .catch((e) => postMessage({ loadError: String(e) }));
} catch (e) {
  postMessage({ loadError: String(e) });
}
