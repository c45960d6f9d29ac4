// Transfer learning's cost in the page (issue #19), beside TensorFlow.js 4.22 running the same
// architecture in the same headless Chromium. Numbers, not pass/fail.
//   1. The backbone's features, ms per image at 224, 160 and 128 px: ImageLab's worker with SIMD,
//      its plain build (`?simd=0`) and on WebGPU (chosen: SwiftShader without a GPU), each timing what the page shows after a frozen-mode run on
//      the sample photos (#features-ms: every image through the backbone, 8 at a time, download
//      and loading excluded); TF.js's EfficientNet-Lite0 built with tf.layers (stem, 16 MBConv
//      blocks, head conv, pooling; random weights: speed does not depend on values), batches of
//      8, each read back, on its cpu, wasm, webgl and webgpu backends.
//   2. 5 classes × 20 photos at 160 px (the sample's brick, grass, gravel and 20 each of the
//      lesson photos' neko and coffee), frozen mode with the lab's proposed settings: seconds from
//      学習開始 to done with the backbone's download (a fresh browser context) and without (the
//      same settings again in the same page), the peak memory of the page's renderer process
//      (page and workers; VmRSS read from /proc every 100 ms), and live prediction through the
//      backbone at 160 px (predictions per second, the fake camera).
//   node tests/bench/transfer-bench.mjs     (DIST=dist for the dev build; default dist-release;
//                                           PARTS=features or PARTS=run for one of the two;
//                                           PARTS=webgpu for ImageLab's WebGPU row alone)
import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';
import { serve } from '../e2e/server.mjs';
import { launch } from '../e2e/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIST = process.env.DIST ?? `${root}dist-release`;
const SIZES = [224, 160, 128];
const tfjs = `${root}node_modules/@tensorflow`;
const LESSON = `${root}tests/e2e/fixtures/lesson-photos`;
const server = await serve(DIST);
const browser = await launch();

/** The largest VmRSS (bytes) of any Chromium renderer process, sampled until `stop()`. */
function rendererPeak() {
  let peak = 0;
  const sample = () => {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
        const kb = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
        peak = Math.max(peak, kb * 1024);
      } catch { /* the process ended */ }
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return () => { clearInterval(timer); sample(); return peak; };
}

/** A fresh context and page on the data lab with the sample photos imported (and, for `extra`,
 *  classes of lesson photos, 20 each). */
async function withPhotos(query, extra = []) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', serviceWorkers: 'block' });
  await context.grantPermissions(['camera']);
  const p = await context.newPage();
  p.on('pageerror', (e) => console.log(`# page error: ${e}`));
  await p.goto(`${server.url}?lang=ja${query}#/data`);
  await p.click('#import-sample:not([disabled])');
  const count = (c, n) => p.waitForFunction(([c, n]) => document.querySelector(`section.class-block[data-class-name="${c}"] .count`)?.dataset.count === n, [c, String(n)], { timeout: 120_000 });
  for (const c of ['brick', 'grass', 'gravel']) await count(c, 20);
  for (const cls of extra) {
    await p.fill('#class-new', cls);
    await p.click('#class-add');
    await p.locator(`section.class-block[data-class-name="${cls}"]`).waitFor();
    const files = readdirSync(`${LESSON}/${cls}`).filter((f) => f.endsWith('.jpg')).sort().slice(0, 20)
      .map((name) => ({ name, mimeType: 'image/jpeg', buffer: readFileSync(`${LESSON}/${cls}/${name}`) }));
    await p.locator(`section.class-block[data-class-name="${cls}"] input[id^=class-files-]`).setInputFiles(files);
    await count(cls, 20);
  }
  return { p, context };
}

/** Uses the open dataset at `size` px RGB in the training lab, with transfer learning at `size`. */
async function useAt(p, size, images) {
  if (!(await p.url()).endsWith('#/data')) await p.click('a[href="#/data"]');
  await p.selectOption('#input-size', String(size));
  await p.selectOption('#input-color', '3');
  await p.click('#use-dataset');
  await p.waitForFunction(() => location.hash === '#/train');
  await p.locator('#train-data', { hasText: `${images} 枚` }).waitFor({ timeout: 120_000 });
  await p.locator('#train-button:not([disabled])').waitFor({ timeout: 120_000 });
  await p.selectOption('#model-family', 'transfer');
  await p.selectOption('#transfer-size', String(size));
  await p.locator('#transfer-note').waitFor();
}

/** Trains once; seconds from the click to done. */
async function train(p) {
  const t0 = Date.now();
  await p.click('#train-button');
  await p.getByText('学習が終わりました').waitFor({ timeout: 600_000 });
  return (Date.now() - t0) / 1000;
}

/** ImageLab's features, ms per image, at each size, on `device` (the training lab's choice). */
async function ours(query, device = 'auto') {
  const { p, context } = await withPhotos(query);
  const out = {};
  for (const size of SIZES) {
    await useAt(p, size, 60);
    await p.selectOption('#device', device);
    await p.fill('#epochs', '1');
    await p.locator('#epochs').dispatchEvent('change');
    await train(p);
    const ms = Number(await p.getAttribute('#features-ms', 'data-ms'));
    const n = Number(await p.getAttribute('#transfer-count', 'data-count'));
    out[size] = ms / n;
  }
  await context.close();
  return out;
}

/** TF.js: EfficientNet-Lite0's layers on `backend`, ms per image at each size (null: cannot). */
async function peer(backend) {
  const context = await browser.newContext({ bypassCSP: true, serviceWorkers: 'block' });
  const p = await context.newPage();
  await p.route('**/tfjs-wasm/*', (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    route.fulfill({ body: readFileSync(`${tfjs}/tfjs-backend-wasm/dist/${name}`), contentType: 'application/wasm' });
  });
  await p.goto(`${server.url}?lang=en`);
  for (const f of ['tfjs/dist/tf.min.js', 'tfjs-backend-wasm/dist/tf-backend-wasm.min.js', 'tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js']) {
    await p.addScriptTag({ path: `${tfjs}/${f}` });
  }
  const result = await p.evaluate(async ({ backend, sizes }) => {
    const tf = globalThis.tf;
    tf.wasm?.setWasmPaths?.(`${location.origin}/tfjs-wasm/`);
    if (!(await tf.setBackend(backend))) return { error: `backend ${backend} unavailable` };
    await tf.ready();
    // (repeats, kernel, stride, expansion, output channels) per stage, as EfficientNet-Lite0.
    const STAGES = [[1, 3, 1, 1, 16], [2, 3, 2, 6, 24], [2, 5, 2, 6, 40], [3, 3, 2, 6, 80], [3, 5, 1, 6, 112], [4, 5, 2, 6, 192], [1, 3, 1, 6, 320]];
    const bn = (x) => tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(x);
    const relu6 = (x) => tf.layers.reLU({ maxValue: 6 }).apply(x);
    const conv = (x, filters, kernelSize = 1, strides = 1) => tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false }).apply(x);
    const build = (size) => {
      const input = tf.input({ shape: [size, size, 3] });
      let x = relu6(bn(conv(input, 32, 3, 2)));
      let channels = 32;
      for (const [repeats, k, stride, expand, out] of STAGES) {
        for (let r = 0; r < repeats; r++) {
          const s = r === 0 ? stride : 1;
          let y = x;
          if (expand !== 1) y = relu6(bn(conv(y, channels * expand)));
          y = relu6(bn(tf.layers.depthwiseConv2d({ kernelSize: k, strides: s, padding: 'same', useBias: false }).apply(y)));
          y = bn(conv(y, out));
          x = s === 1 && channels === out ? tf.layers.add().apply([x, y]) : y;
          channels = out;
        }
      }
      x = relu6(bn(conv(x, 1280)));
      return tf.model({ inputs: input, outputs: tf.layers.globalAveragePooling2d({}).apply(x) });
    };
    const out = {};
    try {
      for (const size of sizes) {
        const model = build(size);
        const x = tf.randomUniform([8, size, size, 3], -1, 1);
        const once = async () => { const y = model.predict(x); await y.data(); y.dispose(); };
        await once(); // warm-up (shader and kernel compilation)
        let n = 0;
        const t0 = performance.now();
        // At least 2 batches and 3 s.
        while (n < 2 || performance.now() - t0 < 3000) { await once(); n++; }
        out[size] = (performance.now() - t0) / (n * 8);
        x.dispose();
        model.dispose();
      }
      const model = build(224);
      const parameters = model.countParams();
      model.dispose();
      return { ms: out, parameters };
    } catch (e) {
      return { error: String(e.message ?? e).slice(0, 90) };
    }
  }, { backend, sizes: SIZES });
  await context.close();
  return result;
}

const PARTS = (process.env.PARTS ?? 'features,run').split(',');
const fmt = (ms) => (ms == null ? '—' : ms.toFixed(1));
console.log(`# tests/bench/transfer-bench.mjs, headless Chromium (${DIST.split('/').pop()}), ${new Date().toISOString().slice(0, 10)}, PARTS=${PARTS}`);
if (PARTS.includes('features')) {
  console.log('\nEfficientNet-Lite0 features, ms per image (batches of 8, read back)');
  console.log(`  ${'engine'.padEnd(34)} ${SIZES.map((s) => `${s} px`.padStart(9)).join(' ')}`);
  const rows = [['ImageLab CPU (flex, SIMD128)', await ours('')], ['ImageLab CPU (no SIMD build)', await ours('&simd=0')]];
  rows.push(['ImageLab WebGPU', await ours('', 'webgpu')]);
  let params = null;
  for (const b of ['cpu', 'wasm', 'webgl', 'webgpu']) {
    const r = await peer(b);
    params ??= r.parameters;
    rows.push([`TF.js ${b}`, r.ms ?? null, r.error]);
}
for (const [name, ms, error] of rows) {
  console.log(`  ${name.padEnd(34)} ${ms ? SIZES.map((s) => fmt(ms[s]).padStart(9)).join(' ') : `cannot: ${error}`}`);
}
console.log(`  (TF.js's model: ${params ?? '?'} parameters with its batch-norm statistics; ImageLab's backbone: 3,371,008 trained values)`);
}

if (PARTS.includes('webgpu')) {
  // ImageLab's WebGPU path alone (a hardware adapter where there is one; here SwiftShader).
  console.log('\nEfficientNet-Lite0 features, ms per image (batches of 8, read back)');
  const ms = await ours('', 'webgpu');
  console.log(`  ${'ImageLab WebGPU'.padEnd(34)} ${SIZES.map((s) => fmt(ms[s]).padStart(9)).join(' ')}`);
}

if (PARTS.includes('run')) {
  console.log('\n5 classes × 20 photos at 160 px, frozen backbone, the lab\'s proposed settings, SIMD build');
  const stop = rendererPeak();
  const { p, context } = await withPhotos('', ['neko', 'coffee']);
  await useAt(p, 160, 100);
  const settings = `epochs ${await p.inputValue('#epochs')}, mini-batch ${await p.inputValue('#batch')}`;
  const withDownload = await train(p);
  const accuracy = await p.getAttribute('#val-accuracy', 'data-value');
  const features = Number(await p.getAttribute('#features-ms', 'data-ms')) / 1000;
  const without = await train(p);
  await p.click('#live-start');
  await p.waitForFunction(() => document.querySelector('#live-rate')?.dataset.rate, null, { timeout: 60_000 });
  await p.waitForTimeout(5000);
  const rate = await p.getAttribute('#live-rate', 'data-rate');
  await p.click('#live-stop');
  const peak = stop();
  await context.close();
  console.log(`  ${settings}; validation accuracy ${accuracy}`);
  console.log(`  from 学習開始 to done, backbone download (9.6 MB from localhost) and loading included: ${withDownload.toFixed(1)} s (features ${features.toFixed(1)} s)`);
  console.log(`  the same again in the same page (backbone already loaded):                   ${without.toFixed(1)} s`);
  console.log(`  live prediction through the backbone at 160 px: ${rate} per second`);
  console.log(`  peak memory of the renderer process (page + workers, VmRSS): ${(peak / 2 ** 20).toFixed(0)} MB`);
}
await browser.close();
await server.close();
