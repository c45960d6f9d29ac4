// Writes the app's home-screen icons (www/icon-192.png, www/icon-512.png): a 3×3 convolution
// kernel — the course's first picture of a filter — in white on the page's accent blue, with the
// centre cell in the training orange. Run once: node scripts/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

function icon(size) {
  const blue = [0x1e, 0x78, 0xc8], white = [0xff, 0xff, 0xff], orange = [0xe0, 0x7b, 0x1a];
  const cell = Math.round(size * 0.2), gap = Math.round(size * 0.05);
  const start = Math.round((size - (3 * cell + 2 * gap)) / 2);
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      let colour = blue;
      const cx = x - start, cy = y - start;
      const i = Math.floor(cx / (cell + gap)), j = Math.floor(cy / (cell + gap));
      if (cx >= 0 && cy >= 0 && i < 3 && j < 3 && cx % (cell + gap) < cell && cy % (cell + gap) < cell) {
        colour = i === 1 && j === 1 ? orange : white;
      }
      raw.set(colour, y * (size * 3 + 1) + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of [192, 512]) writeFileSync(new URL(`../www/icon-${size}.png`, import.meta.url), icon(size));
