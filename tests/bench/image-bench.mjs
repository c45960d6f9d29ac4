// Live-filter benchmark of the image lab: ms per 640×480 webcam frame (Chromium's fake camera),
// all conversions included, beside OpenCV.js 4.5.2 (npm @techstark/opencv-js) timed in the
// same page on the same camera, grabbed and drawn the same way. Not a test: it prints numbers.
//   node tests/bench/image-bench.mjs      (DIST=dist for the dev build; default dist-release)
import { fileURLToPath } from 'node:url';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIST = process.env.DIST ?? `${root}dist-release`;
const server = await serve(DIST);
const browser = await launch();
// bypassCSP: the peer (OpenCV.js) is injected into ImageLab's own page, whose Content-Security-Policy
// would refuse the inline script.
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
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
rows.push(['gray → Sobel x → |·| → RGBA', await ours('sobelx')]);
rows.push(['gray → Sobel magnitude → RGBA', await ours('sobel')]);
rows.push(['gray → mean 3×3 → RGBA', await ours('mean3')]);
rows.push(['gray → Gaussian σ=1 (7×7) → RGBA', await ours('gaussian')]);
await page.check('#filter-colour');
rows.push(['mean 3×3 on R, G, B → RGBA', await ours('mean3')]);
await page.uncheck('#filter-colour');
await page.click('#camera-stop');

await page.addScriptTag({ path: `${root}node_modules/@techstark/opencv-js/dist/opencv.js` });
await page.waitForFunction(() => globalThis.cv && globalThis.cv.Mat, null, { timeout: 120_000 });
const peer = await page.evaluate(async () => {
  const W = 640, H = 480, cv = globalThis.cv;
  // The same fake camera, grabbed and shown the same way as ImageLab's live view, so the whole
  // frame (video → canvas → pixels → filter → canvas) is compared like for like.
  const video = document.createElement('video');
  video.muted = true;
  video.srcObject = await navigator.mediaDevices.getUserMedia({ video: true });
  await video.play();
  while (video.videoWidth === 0) await new Promise((r) => setTimeout(r, 20));
  const grabCanvas = Object.assign(document.createElement('canvas'), { width: W, height: H });
  const outCanvas = Object.assign(document.createElement('canvas'), { width: W, height: H });
  const grabCtx = grabCanvas.getContext('2d', { willReadFrequently: true });
  const outCtx = outCanvas.getContext('2d');
  const grab = () => { grabCtx.drawImage(video, 0, 0, W, H); return grabCtx.getImageData(0, 0, W, H); };
  // Paced like ImageLab's live loop (a frame every 66 ms), so each grab meets a fresh camera frame:
  // a tight loop would redraw one cached frame and time the colour conversion only once.
  const tick = () => new Promise((r) => setTimeout(r, 66));
  const time = async (f) => {
    for (let i = 0; i < 5; i++) { f(grab()); await tick(); }
    const whole = [], pipeline = [];
    for (let i = 0; i < 30; i++) {
      await tick();
      const a = performance.now(); const frame = grab(); const b = performance.now();
      outCtx.putImageData(f(frame), 0, 0);
      const c = performance.now();
      whole.push(c - a); pipeline.push(c - b);
    }
    const med = (t) => { t.sort((x, y) => x - y); return t[15]; };
    return { total: med(whole), process: med(pipeline) };
  };
  const sobel = (frame) => {
    const src = cv.matFromImageData(frame); const g = new cv.Mat(); const s = new cv.Mat(); const a = new cv.Mat(); const out = new cv.Mat();
    cv.cvtColor(src, g, cv.COLOR_RGBA2GRAY); cv.Sobel(g, s, cv.CV_16S, 1, 0); cv.convertScaleAbs(s, a); cv.cvtColor(a, out, cv.COLOR_GRAY2RGBA);
    const img = new ImageData(new Uint8ClampedArray(out.data), W, H);
    for (const m of [src, g, s, a, out]) m.delete();
    return img;
  };
  const mean = (frame) => {
    const src = cv.matFromImageData(frame); const out = new cv.Mat(); const k = cv.Mat.ones(3, 3, cv.CV_32F);
    for (let i = 0; i < 9; i++) k.data32F[i] = 1 / 9;
    cv.filter2D(src, out, -1, k);
    const img = new ImageData(new Uint8ClampedArray(out.data), W, H);
    src.delete(); out.delete(); k.delete();
    return img;
  };
  const js = (frame) => {
    const d = frame.data, out = new Uint8ClampedArray(d.length);
    for (let y = 1; y < H - 1; y++) for (let x = 1; x < W - 1; x++) {
      for (let c = 0; c < 3; c++) { let s = 0; for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += d[((y + dy) * W + x + dx) * 4 + c]; out[(y * W + x) * 4 + c] = s / 9; }
      out[(y * W + x) * 4 + 3] = 255;
    }
    return new ImageData(out, W, H);
  };
  const result = { sobel: await time(sobel), mean: await time(mean), js: await time(js) };
  for (const t of video.srcObject.getTracks()) t.stop();
  return result;
});

console.log(`\nLive filters on 640×480 frames of the same fake camera, headless Chromium, ${DIST.split('/').pop()} build`);
console.log('median ms per frame; whole = video → canvas → pixels → filter → canvas; (pipeline) = after the grab. Budget: 33 ms (30 fps)');
const line = (who, what, ms) => console.log(`  ${who.padEnd(10)} ${what.padEnd(46)} ${ms.total.toFixed(2).padStart(6)} ms  (${ms.process.toFixed(2)} ms)`);
for (const [what, ms] of rows) line('ImageLab', what, ms);
line('OpenCV.js', 'gray → Sobel x → |·| → RGBA (cvtColor, Sobel 16S)', peer.sobel);
line('OpenCV.js', 'filter2D mean 3×3 on RGBA', peer.mean);
line('plain JS', 'mean 3×3 on RGB', peer.js);
await browser.close();
await server.close();
