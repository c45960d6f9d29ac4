// Training-speed benchmark of the built app (release build in dist-release/, or DIST=...), in
// headless Chromium, printed beside the peer's numbers. Not a test: it asserts nothing.
//   node tests/bench/bench.mjs
import { fileURLToPath } from 'node:url';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIST = process.env.DIST ?? `${root}dist-release`;
const server = await serve(DIST);
const browser = await launch();

async function page() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['camera']);
  const p = await context.newPage();
  await p.goto(`${server.url}?lang=en#/train`);
  await p.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  return { p, context };
}

async function setField(p, id, value) {
  await p.fill(`#${id}`, String(value));
  await p.locator(`#${id}`).dispatchEvent('change');
}

const stepInfo = (p) => p.evaluate(() => {
  const el = document.querySelector('.progress-text');
  return el && el.dataset.step ? { step: Number(el.dataset.step), ms: Number(el.dataset.elapsedMs) } : null;
});

/** ms per training step (batch 64) on `device`, measured over `n` steps after `warm` warm-up steps. */
async function msPerStep(device, warm, n) {
  const { p, context } = await page();
  await p.selectOption('#device', device);
  await setField(p, 'epochs', 20);
  await p.click('#train-button');
  await p.waitForFunction((w) => Number(document.querySelector('.progress-text')?.dataset.step) >= w, warm, { timeout: 600_000, polling: 20 });
  const a = await stepInfo(p);
  await p.waitForFunction((t) => Number(document.querySelector('.progress-text')?.dataset.step) >= t, a.step + n, { timeout: 600_000, polling: 20 });
  const b = await stepInfo(p);
  const backend = await p.getAttribute('#backend', 'data-backend');
  await p.click('#stop-button');
  await context.close();
  return { backend, ms: (b.ms - a.ms) / (b.step - a.step), steps: b.step - a.step };
}

/** Median ms to prepare one batch of 64 (read, augment with the digits preset, convert) and
 *  ms per step, on `device`, with augmentation on or off. */
async function prepareVsStep(device, augment) {
  const { p, context } = await page();
  await p.selectOption('#device', device);
  await setField(p, 'epochs', 20);
  if (augment) await p.check('#use-augment');
  await p.click('#train-button');
  await p.waitForFunction(() => Number(document.querySelector('.progress-text')?.dataset.step) >= 3, null, { timeout: 600_000, polling: 20 });
  const prep = [], step = [];
  for (let i = 0; i < 25; i++) {
    prep.push(Number(await p.getAttribute('#prepare-ms', 'data-prepare-ms')));
    step.push(Number(await p.getAttribute('#prepare-ms', 'data-step-ms')));
    await p.waitForTimeout(device === 'cpu' ? 120 : 600);
  }
  await p.click('#stop-button');
  await context.close();
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { prepare: med(prep), step: med(step) };
}

/** Live predictions per second from the (fake) camera with the small CNN on the CPU, after a
 *  one-epoch run. */
async function livePredictionsPerSecond() {
  const { p, context } = await page();
  await p.selectOption('#device', 'cpu');
  await setField(p, 'epochs', 1);
  await p.click('#train-button');
  await p.locator('#live-start:not([disabled])').waitFor({ timeout: 600_000 });
  await p.click('#live-start');
  await p.waitForFunction(() => Number(document.querySelector('#live-probabilities')?.dataset.count) >= 20, null, { timeout: 60_000 });
  await p.waitForTimeout(3000);
  const rate = Number(await p.getAttribute('#live-rate', 'data-rate'));
  await context.close();
  return rate;
}

/** ms from clicking Train (worker and wasm not yet loaded) to validation accuracy >= target. */
async function timeTo(target) {
  const { p, context } = await page();
  await p.selectOption('#device', 'cpu');
  await setField(p, 'epochs', 15);
  const t0 = Date.now();
  await p.click('#train-button');
  await p.waitForFunction((t) => Number(document.querySelector('#val-accuracy')?.dataset.value) >= t, target, { timeout: 600_000, polling: 50 });
  const ms = Date.now() - t0;
  const acc = Number(await p.getAttribute('#val-accuracy', 'data-value'));
  const step = (await stepInfo(p)).step;
  await context.close();
  return { ms, acc, step };
}

const row = (what, ours, peer) => console.log(`${what.padEnd(54)} ${ours.padStart(14)}   ${peer}`);
const cpu = await msPerStep('cpu', 5, 40);
const t95 = await timeTo(0.95);
const gpu = await msPerStep('webgpu', 2, 5);
console.log('\nTraining speed, headless Chromium on this machine (CNN conv8→pool→conv16→pool→dense64, batch 64, 28×28)');
row('', 'ImageLab', 'peer (TF.js, same machine; docs/peers.md)');
row('ms/step, CPU (burn flex + wasm SIMD; incl. val passes)', cpu.ms.toFixed(1), 'TF.js cpu 611 ms · webgl 478 ms');
row('ms/step, WebGPU (SwiftShader here; incl. val passes)', gpu.ms.toFixed(1), 'TF.js webgpu 4212 ms');
row('steps/s CPU vs WebGPU', `${(1000 / cpu.ms).toFixed(1)} vs ${(1000 / gpu.ms).toFixed(2)}`, '');
row('click "train" → ≥95% validation accuracy (CPU)', `${(t95.ms / 1000).toFixed(1)} s`, `(${(t95.acc * 100).toFixed(1)}% at step ${t95.step}; includes worker load)`);

const live = await livePredictionsPerSecond();
row('live predictions/s from the camera (small CNN, CPU)', live.toFixed(1), 'aim ≥ 10/s (Teachable Machine: per frame)');
const augCpu = await prepareVsStep('cpu', true);
const plainCpu = await prepareVsStep('cpu', false);
const augGpu = await prepareVsStep('webgpu', true);
console.log('\nAugmentation in the worker (digits preset: rotate, translate, scale, erase), batch 64 of 28×28');
row('', 'ImageLab', '');
row('ms to prepare a batch: augmented vs plain (CPU run)', `${augCpu.prepare.toFixed(2)} vs ${plainCpu.prepare.toFixed(2)}`, 'no peer augments in the browser (Teachable Machine: none)');
row('augmented images/s', (64_000 / augCpu.prepare).toFixed(0), '');
row('images/s training consumes, CPU (steps/s × 64)', (64_000 / augCpu.step).toFixed(0), `→ augmentation uses ${(100 * augCpu.prepare / augCpu.step).toFixed(1)}% of a CPU step`);
row('images/s training consumes, WebGPU (steps/s × 64)', (64_000 / augGpu.step).toFixed(0), `→ ${(100 * augGpu.prepare / augGpu.step).toFixed(1)}% of a step, and overlapped with the GPU's work`);
await browser.close();
await server.close();
