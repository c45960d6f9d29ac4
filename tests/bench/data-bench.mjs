// Scale benchmark of the data lab (issue #5): 20 classes × 250 images = 5,000 images, imported
// from one zip, browsed, persisted, reopened and trained on, in headless Chromium. Prints import
// time, IndexedDB size, peak renderer memory, the longest main-thread stall during import and the
// frame times while scrolling the grid. Not a test: it asserts nothing.
//   node tests/bench/data-bench.mjs        (DIST=dist for the dev build; CLASSES=, PER_CLASS=)
import { fileURLToPath } from 'node:url';
import { serve } from '../e2e/server.mjs';
import { rendererRssMb } from './memory.mjs';
import { launch } from '../e2e/browser.mjs';
import { zip } from '../e2e/zip.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIST = process.env.DIST ?? `${root}dist-release`;
const CLASSES = Number(process.env.CLASSES ?? 20);
const PER_CLASS = Number(process.env.PER_CLASS ?? 250);
const server = await serve(DIST);
const browser = await launch();

let peak = 0;
const sampler = setInterval(() => { peak = Math.max(peak, rendererRssMb()); }, 200);

const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
page.on('pageerror', (e) => console.log('page error:', String(e)));
await page.goto(`${server.url}?lang=en#/data`);
await page.locator('#dataset-create:not([disabled])').waitFor({ timeout: 60_000 });
const baseline = rendererRssMb();

// 5,000 photos-like JPEGs (160×120, a shape per class, jittered), drawn in the page.
const t0 = Date.now();
const files = [];
for (let c = 0; c < CLASSES; c++) {
  const b64 = await page.evaluate(async ({ c, n }) => {
    const out = [];
    const canvas = document.createElement('canvas');
    canvas.width = 160; canvas.height = 120;
    const g = canvas.getContext('2d');
    for (let i = 0; i < n; i++) {
      g.fillStyle = `hsl(${(i * 37) % 360}, 20%, 85%)`;
      g.fillRect(0, 0, 160, 120);
      g.fillStyle = `hsl(${c * 18}, 70%, 45%)`;
      g.beginPath();
      const sides = 3 + (c % 6), r = 30 + (i % 7) * 3, x = 80 + (i % 9) - 4, y = 60 + (i % 5) - 2;
      for (let k = 0; k <= sides; k++) {
        const a = (k / sides) * Math.PI * 2 + c;
        g.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
      }
      g.fill();
      out.push(canvas.toDataURL('image/jpeg', 0.85).split(',')[1]);
    }
    return out;
  }, { c, n: PER_CLASS });
  b64.forEach((s, i) => files.push([`dataset/class-${String(c).padStart(2, '0')}/img-${i}.jpg`, Buffer.from(s, 'base64')]));
}
const archive = zip(files);
console.log(`Generated ${files.length} JPEGs (160×120) in ${((Date.now() - t0) / 1000).toFixed(1)} s; zip ${(archive.length / 1e6).toFixed(1)} MB`);

// Hand the zip to the page first (playwright's own transfer would otherwise be timed), as a File.
await page.evaluate(() => { window.__parts = []; });
const b64 = archive.toString('base64');
for (let i = 0; i < b64.length; i += 4_000_000) {
  await page.evaluate((part) => { window.__parts.push(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))); }, b64.slice(i, i + 4_000_000));
}

// Import, watching the main thread: the longest gap between animation frames is the worst stall.
await page.evaluate(() => {
  window.__long = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]); })
    .observe({ type: 'longtask' });
  window.__t0 = performance.now();
  window.__gaps = [];
  let last = performance.now();
  const tick = (t) => { window.__gaps.push(t - last); last = t; window.__raf = requestAnimationFrame(tick); };
  window.__raf = requestAnimationFrame(tick);
});
const tImport = Date.now();
await page.evaluate(() => {
  const input = document.querySelector('#import-zip');
  const transfer = new DataTransfer();
  transfer.items.add(new File(window.__parts, 'dataset.zip', { type: 'application/zip' }));
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
});
await page.locator('#import-report').waitFor({ timeout: 1_800_000 });
const importS = (Date.now() - tImport) / 1000;
const gaps = await page.evaluate(() => { cancelAnimationFrame(window.__raf); return window.__gaps.sort((a, b) => a - b); });
const summary = await page.textContent('#import-report summary');
const longTasks = await page.evaluate(() => window.__long.filter(([, d]) => d > 200).map(([t, d]) => `${d} ms at +${((t - window.__t0) / 1000).toFixed(1)} s`));
const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage);
const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p))];

// Browse: show every thumbnail of the first class, then scroll the whole page by frames.
if (await page.locator('.thumbs .more').count()) await page.locator('.thumbs .more').first().click();
const scroll = await page.evaluate(async () => {
  const frames = [];
  let last = performance.now();
  const max = document.documentElement.scrollHeight - innerHeight;
  for (let y = 0; y <= max; y += 120) {
    scrollTo(0, y);
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    frames.push(now - last);
    last = now;
  }
  return { frames: frames.sort((a, b) => a - b), height: max };
});

// Persisted: reload and reopen.
await page.reload();
await page.locator('#dataset-create:not([disabled])').waitFor({ timeout: 60_000 });
const id = await page.locator('#dataset-pick option', { hasText: 'dataset' }).getAttribute('value');
const tOpen = Date.now();
await page.selectOption('#dataset-pick', id);
await page.waitForFunction((n) => document.querySelectorAll('section.class-block').length >= n, CLASSES, { timeout: 600_000 });
const openS = (Date.now() - tOpen) / 1000;
const counts = await page.locator('section.class-block .count').evaluateAll((els) => els.reduce((s, e) => s + Number(e.dataset.count), 0));

// Train: convert to 32×32 RGB and run one epoch.
await page.selectOption('#input-size', '32');
await page.selectOption('#input-color', '3');
const tConvert = Date.now();
await page.click('#use-dataset');
await page.locator('#data-in-use', { hasText: 'dataset' }).waitFor({ timeout: 1_800_000 });
const convertS = (Date.now() - tConvert) / 1000;
await page.click('nav.labs a[href="#/train"]');
await page.fill('#epochs', '1');
await page.locator('#epochs').dispatchEvent('change');
const tTrain = Date.now();
await page.click('#train-button');
await page.getByText('Training finished').waitFor({ timeout: 1_800_000 });
const trainS = (Date.now() - tTrain) / 1000;
const acc = await page.locator('#val-accuracy').getAttribute('data-value');
clearInterval(sampler);

const row = (k, v) => console.log(`${k.padEnd(52)} ${v}`);
console.log(`\nData lab at scale: ${CLASSES} classes × ${PER_CLASS} = ${CLASSES * PER_CLASS} images (${DIST.replace(root, '')})`);
row('import (zip → decoded, stored in IndexedDB)', `${importS.toFixed(1)} s (${(files.length / importS).toFixed(0)} images/s) — ${summary.trim()}`);
row('main-thread frame gaps during import (median/p95/max)', `${pct(gaps, 0.5).toFixed(0)} / ${pct(gaps, 0.95).toFixed(0)} / ${gaps[gaps.length - 1].toFixed(0)} ms over ${gaps.length} frames`);
row('main-thread tasks over 200 ms during import', longTasks.join(', ') || 'none');
row('IndexedDB + origin storage after import', `${(usage / 1e6).toFixed(1)} MB`);
row('renderer memory: baseline → peak (RSS)', `${baseline.toFixed(0)} → ${peak.toFixed(0)} MB`);
row('scrolling the grid, frame time (median/p95/max)', `${pct(scroll.frames, 0.5).toFixed(1)} / ${pct(scroll.frames, 0.95).toFixed(1)} / ${scroll.frames[scroll.frames.length - 1].toFixed(1)} ms over ${scroll.frames.length} frames (${scroll.height} px)`);
row('reload → dataset reopened', `${openS.toFixed(1)} s, ${counts} images listed`);
row('convert for training (32×32 RGB)', `${convertS.toFixed(1)} s`);
row('train 1 epoch (small CNN)', `${trainS.toFixed(1)} s, validation accuracy ${acc}`);
row('peer: Teachable Machine', 'reported to crash at 1,000–1,500 images (peers.md)');
await browser.close();
await server.close();
