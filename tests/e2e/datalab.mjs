// Helpers for tests that go through the data lab: the lab opened and ready, and test images drawn
// in the page (the browser's own PNG encoder): jittered orange discs ("coins") and blue squares.
import { server } from './harness.mjs';

/** A new page on the data lab (Japanese), once IndexedDB is open (the create button is enabled). */
export async function openData(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?lang=ja#/data`);
  await page.locator('#data-heading').waitFor();
  await page.locator('#dataset-create:not([disabled])').waitFor();
  return { page, errors };
}

/** `n` PNGs of `kind` 'coin' (orange disc) or 'square' (blue square), `size` px, the shape's
 *  radius `base` of the size plus a step per image, its centre moved by up to ±⌊dx/2⌋ px. */
export async function drawPngs(page, kind, n, { size = 96, base = 0.25, dx = 3 } = {}) {
  const b64 = await page.evaluate(async ({ kind, n, size, base, dx }) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const c = document.createElement('canvas');
      c.width = size; c.height = size;
      const g = c.getContext('2d');
      g.fillStyle = `rgb(${230 + (i % 3) * 8}, ${230 - i}, 220)`;
      g.fillRect(0, 0, size, size);
      const r = size * (base + (i % 5) * 0.03);
      const x = size / 2 + (i % dx) - Math.floor(dx / 2), y = size / 2 + (i % 4) - 2;
      if (kind === 'coin') {
        g.fillStyle = '#c87533';
        g.beginPath(); g.arc(x, y, r, 0, Math.PI * 2); g.fill();
      } else {
        g.fillStyle = '#2255aa';
        g.fillRect(x - r, y - r, 2 * r, 2 * r);
      }
      out.push(c.toDataURL('image/png').split(',')[1]);
    }
    return out;
  }, { kind, n, size, base, dx });
  return b64.map((s, i) => ({ name: `${kind}-${i}.png`, mimeType: 'image/png', buffer: Buffer.from(s, 'base64') }));
}
