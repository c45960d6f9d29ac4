// Does this browser have WebAssembly SIMD? A module with a single SIMD instruction does not even
// compile where SIMD is missing (Safari 16.0–16.3, or SIMD switched off), so ImageLab ships its
// training worker twice and asks the browser to validate this 43-byte module first:
//   (module (func (result v128) (v128.const i32x4 0 0 0 0)))
// Loaded with importScripts by worker-loader.js (which build to start) and sw.js (which build to
// keep for offline use).
self.imagelabHasSimd = () => WebAssembly.validate(new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: one func type [] → [v128]
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, // code section: one body of 20 bytes, no locals
  0xfd, 0x0c, ...new Array(16).fill(0), // v128.const 0
  0x0b, // end
]));
