// Training-speed benchmark against TensorFlow.js 4.22 (npm @tensorflow/tfjs with its wasm and
// webgpu backend packages) in the same headless Chromium page as ImageLab: the issue's reference
// CNN (conv 8×3×3 ReLU → max-pool 2 → conv 16×3×3 ReLU → max-pool 2 → dense 10), batch 64 of
// 28×28, Adam, loss read back every step. ImageLab runs the same network, built in its model
// builder. Prints ms/step side by side with the ratio. Not a test.
//   node tests/bench/tfjs-bench.mjs      (DIST=dist for the dev build; default dist-release)
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIST = process.env.DIST ?? `${root}dist-release`;
const tfjs = `${root}node_modules/@tensorflow`;
const server = await serve(DIST);
const browser = await launch();

async function page(query = '?lang=en') {
  // bypassCSP: TF.js is injected into ImageLab's own page, whose Content-Security-Policy would
  // refuse the inline scripts and the wasm fetched from its route. No service worker: it would
  // fetch TF.js's wasm itself, past the route.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, serviceWorkers: 'block' });
  const p = await context.newPage();
  // TF.js's wasm binaries, served from node_modules under one path.
  await p.route('**/tfjs-wasm/*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    route.fulfill({ body: readFileSync(`${tfjs}/tfjs-backend-wasm/dist/${name}`), contentType: 'application/wasm' });
  });
  await p.goto(`${server.url}${query}#/train`);
  await p.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  return { p, context };
}

/** ImageLab: the reference CNN (the small-CNN preset without its dense 64), ms per step.
 *  `?simd=0` runs the worker's fallback build (no WebAssembly SIMD). */
async function ours(device, warm, n, query) {
  const { p, context } = await page(query);
  await p.selectOption('#device', device);
  await p.fill('#epochs', '20');
  await p.locator('#epochs').dispatchEvent('change');
  await p.evaluate(() => document.querySelector('#epochs').blur());
  // Remove the dense 64 layer: conv → pool → conv → pool → flatten → output dense 10.
  await p.click('#layers li[data-kind="dense"] button[aria-label^="Remove"]');
  await p.waitForFunction(() => document.querySelector('#param-total')?.dataset.total === String(80 + 1168 + 784 * 10 + 10));
  await p.click('#train-button');
  await p.waitForFunction((w) => Number(document.querySelector('.progress-text')?.dataset.step) >= w, warm, { timeout: 600_000, polling: 20 });
  // Each step's own time (the worker's `train_ms`: forward, backward, update, loss read-back),
  // without the validation passes TF.js's loop does not make either; median of samples.
  const samples = [];
  let last = -1;
  while (samples.length < n) {
    const s = await p.evaluate(() => {
      const el = document.querySelector('#prepare-ms');
      return { step: Number(document.querySelector('.progress-text')?.dataset.step), ms: Number(el?.dataset.trainMs) };
    });
    if (s.step !== last && s.ms > 0) { samples.push(s.ms); last = s.step; }
    await p.waitForTimeout(device === 'cpu' ? 15 : 200);
  }
  await p.click('#stop-button');
  await context.close();
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)];
}

/** TF.js: the same network and step, per backend; `null` when the backend cannot train it. */
async function peer(backend, warm, n) {
  const { p, context } = await page();
  for (const f of ['tfjs/dist/tf.min.js', 'tfjs-backend-wasm/dist/tf-backend-wasm.min.js', 'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js']) {
    await p.addScriptTag({ path: `${tfjs}/${f}` });
  }
  const result = await p.evaluate(async ({ backend, warm, n }) => {
    const tf = globalThis.tf;
    tf.wasm?.setWasmPaths?.(`${location.origin}/tfjs-wasm/`);
    if (!(await tf.setBackend(backend))) return { error: `backend ${backend} unavailable` };
    await tf.ready();
    const model = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ] });
    const optimizer = tf.train.adam(0.003);
    const x = tf.randomUniform([64, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'int32'), 10);
    const step = async () => {
      const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.predict(x)), true);
      await cost.data();
      cost.dispose();
    };
    try {
      for (let i = 0; i < warm; i++) await step();
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await step();
      return { ms: (performance.now() - t0) / n };
    } catch (e) {
      return { error: String(e.message ?? e).slice(0, 90) };
    }
  }, { backend, warm, n });
  await context.close();
  return result;
}

const ourCpu = await ours('cpu', 5, 30);
const ourPlain = await ours('cpu', 3, 15, '?lang=en&simd=0');
const ourGpu = await ours('webgpu', 2, 5);
const peers = {};
for (const [b, warm, n] of [['cpu', 2, 5], ['wasm', 2, 5], ['webgl', 2, 5], ['webgpu', 1, 3]]) peers[b] = await peer(b, warm, n);

console.log(`\nReference CNN (conv8→pool→conv16→pool→dense10), batch 64 of 28×28, Adam, loss read every step; headless Chromium, ${DIST.split('/').pop()}`);
const fmt = (r) => (r.ms ? `${r.ms.toFixed(1)} ms` : `cannot: ${r.error}`);
const line = (what, ms, peerName, r) => console.log(`  ${what.padEnd(30)} ${ms.toFixed(1).padStart(8)} ms   ${peerName.padEnd(16)} ${fmt(r).padEnd(18)} ${!r.ms ? '' : r.ms >= ms ? `ImageLab ${(r.ms / ms).toFixed(1)}× faster` : `TF.js ${(ms / r.ms).toFixed(1)}× faster`}`);
line('ImageLab CPU (flex, SIMD128)', ourCpu, 'TF.js cpu', peers.cpu);
line('ImageLab CPU (flex, SIMD128)', ourCpu, 'TF.js wasm', peers.wasm);
line('ImageLab CPU (no SIMD build)', ourPlain, 'TF.js cpu', peers.cpu);
line('ImageLab WebGPU', ourGpu, 'TF.js webgl', peers.webgl);
line('ImageLab WebGPU', ourGpu, 'TF.js webgpu', peers.webgpu);
await browser.close();
await server.close();
