// Live-filter benchmark of the image lab: ms per 640×480 webcam frame (Chromium's fake camera),
// all conversions included, beside OpenCV.js 4.5.2 (npm @techstark/opencv-js) timed in the
// same page on a frame of the same size. Not a test: it prints numbers.
//   node tests/bench/image-bench.mjs      (DIST=dist for the dev build; default dist-release)
import { fileURLToPath } from 'node:url';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIST = process.env.DIST ?? `${root}dist-release`;
const server = await serve(DIST);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.grantPermissions(['camera']);
const page = await context.newPage();
await page.goto(`${server.url}?lang=en#/image`);
await page.locator('#image-original').waitFor();

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function ours(filter) {
  await page.selectOption('#filter-kind', filter);
  if (await page.locator('#camera-start').count()) await page.click('#camera-start');
  await page.waitForFunction(() => document.querySelector('#camera-ms')?.dataset.ms, null, { timeout: 30_000 });
  await page.waitForTimeout(500);
  const total = [], process = [];
  for (let i = 0; i < 30; i++) {
    total.push(Number(await page.getAttribute('#camera-ms', 'data-ms')));
    process.push(Number(await page.getAttribute('#camera-ms', 'data-process-ms')));
    await page.waitForTimeout(70);
  }
  return { total: median(total), process: median(process) };
}

const rows = [];
rows.push(['RGBA frame → gray → Sobel x → |·| → RGBA', await ours('sobelx')]);
rows.push(['RGBA frame → gray → Sobel magnitude → RGBA', await ours('sobel')]);
rows.push(['RGBA frame → gray → mean 3×3 → RGBA', await ours('mean3')]);
rows.push(['RGBA frame → gray → Gaussian σ=1 (7×7) → RGBA', await ours('gaussian')]);
await page.check('#filter-colour');
rows.push(['RGBA frame → mean 3×3 on R, G, B → RGBA', await ours('mean3')]);
await page.uncheck('#filter-colour');
await page.click('#camera-stop');

await page.addScriptTag({ path: `${root}node_modules/@techstark/opencv-js/dist/opencv.js` });
await page.waitForFunction(() => globalThis.cv && globalThis.cv.Mat, null, { timeout: 120_000 });
const peer = await page.evaluate(() => {
  const W = 640, H = 480, cv = globalThis.cv;
  const rgba = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 2654435761) >>> 24;
  const frame = new ImageData(rgba, W, H);
  const time = (f) => { for (let i = 0; i < 5; i++) f(); const t = []; for (let i = 0; i < 30; i++) { const a = performance.now(); f(); t.push(performance.now() - a); } t.sort((a, b) => a - b); return t[15]; };
  const gray = () => { const src = cv.matFromImageData(frame); const g = new cv.Mat(); cv.cvtColor(src, g, cv.COLOR_RGBA2GRAY); src.delete(); g.delete(); };
  const sobel = () => {
    const src = cv.matFromImageData(frame); const g = new cv.Mat(); const s = new cv.Mat(); const a = new cv.Mat(); const out = new cv.Mat();
    cv.cvtColor(src, g, cv.COLOR_RGBA2GRAY); cv.Sobel(g, s, cv.CV_16S, 1, 0); cv.convertScaleAbs(s, a); cv.cvtColor(a, out, cv.COLOR_GRAY2RGBA);
    new ImageData(new Uint8ClampedArray(out.data), W, H);
    for (const m of [src, g, s, a, out]) m.delete();
  };
  const mean = () => { const src = cv.matFromImageData(frame); const out = new cv.Mat(); const k = cv.Mat.ones(3, 3, cv.CV_32F); for (let i = 0; i < 9; i++) k.data32F[i] = 1 / 9; cv.filter2D(src, out, -1, k); src.delete(); out.delete(); k.delete(); };
  const js = () => { const out = new Uint8ClampedArray(rgba.length); for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) for (let c = 0; c < 3; c++) { let s = 0; for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += rgba[((y + dy) * W + x + dx) * 4 + c]; out[(y * W + x) * 4 + c] = s / 9; } };
  return { gray: time(gray), sobel: time(sobel), mean: time(mean), js: time(js) };
});

console.log(`\nLive filters on a 640×480 frame, headless Chromium, ${DIST.split('/').pop()} build (median ms per frame; budget 33 ms = 30 fps)`);
console.log('  ImageLab: whole frame = video → canvas → RGBA + the pipeline; pipeline alone in brackets (comparable to OpenCV.js, whose frame is already an ImageData)');
for (const [what, ms] of rows) console.log(`  ImageLab   ${what.padEnd(48)} ${ms.total.toFixed(2).padStart(7)} ms   (${ms.process.toFixed(2)} ms)`);
console.log(`  OpenCV.js  RGBA → gray (cvtColor)                       ${peer.gray.toFixed(2).padStart(7)} ms`);
console.log(`  OpenCV.js  RGBA → gray → Sobel x → |·| → RGBA          ${peer.sobel.toFixed(2).padStart(7)} ms`);
console.log(`  OpenCV.js  filter2D mean 3×3 on RGBA (4 channels)      ${peer.mean.toFixed(2).padStart(7)} ms`);
console.log(`  plain JS   mean 3×3 on RGB                             ${peer.js.toFixed(2).padStart(7)} ms`);
await browser.close();
await server.close();
