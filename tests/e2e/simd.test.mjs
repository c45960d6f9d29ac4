// The two builds of the training worker (dist/, from `trunk build`): imagelab-worker-simd, with
// WebAssembly SIMD (burn's fast CPU kernels), and imagelab-worker, the fallback for browsers
// without SIMD (Safari 16.0–16.3, or SIMD switched off). www/worker-loader.js takes the SIMD
// build where a SIMD module validates; `?simd=0` forces the fallback, which is how it runs here in a Chromium that has SIMD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useApp, server, browser, DIST } from './harness.mjs';


useApp();

/** The module without its `target_features` custom section. binaryen enables whatever features
 *  a module declares there (Rust lists simd128 even in the plain worker), while a browser ignores
 *  the section and rejects any instruction it lacks; dropping it gives binaryen the browser's view. */
function withoutFeatureSection(bytes) {
  let i = 8;
  const parts = [bytes.subarray(0, 8)];
  const leb = () => { let r = 0, s = 0, x; do { x = bytes[i++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return r; };
  while (i < bytes.length) {
    const at = i;
    const id = bytes[i++];
    const end = leb() + i;
    let name = '';
    if (id === 0) { const n = leb(); name = Buffer.from(bytes.subarray(i, i + n)).toString(); }
    if (name !== 'target_features') parts.push(bytes.subarray(at, end));
    i = end;
  }
  return Buffer.concat(parts);
}

const FEATURES_WITHOUT_SIMD = [
  '--mvp-features', '--enable-mutable-globals', '--enable-sign-ext', '--enable-nontrapping-float-to-int',
  '--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-multivalue', '--enable-reference-types',
  '--enable-call-indirect-overlong',
];

/** Validates a built module with binaryen under WebAssembly as a browser without SIMD has it (the
 *  features Rust 1.95 emits by default, SIMD left out; `extra` adds some). Returns binaryen's
 *  complaint, '' when the module is valid. Its output goes to a file, of which the start is read:
 *  for the SIMD build binaryen reports every SIMD expression (hundreds of MB). */
function validateWithoutSimd(file, extra = []) {
  const dir = mkdtempSync(join(tmpdir(), 'imagelab-simd-'));
  const tmp = join(dir, file);
  writeFileSync(tmp, withoutFeatureSection(readFileSync(`${DIST}/${file}`)));
  const log = openSync(join(dir, 'log'), 'w');
  const r = spawnSync('wasm-opt', [...FEATURES_WITHOUT_SIMD, ...extra, tmp, '-o', '/dev/null'], { stdio: ['ignore', log, log] });
  closeSync(log);
  const head = Buffer.alloc(1 << 16);
  const fd = openSync(join(dir, 'log'), 'r');
  const text = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString();
  closeSync(fd);
  rmSync(dir, { recursive: true });
  assert.ok(!r.error, `wasm-opt runs: ${r.error}`);
  if (r.status === 0) return '';
  return text.replace(/.*no passes specified.*\n/, '') || `wasm-opt failed silently (status ${r.status}, signal ${r.signal})`;
}

test('the page and the fallback worker use no SIMD instruction; the fast worker does', () => {
  for (const file of ['imagelab-web_bg.wasm', 'imagelab-worker_bg.wasm']) {
    const complaint = validateWithoutSimd(file);
    assert.equal(complaint, '', `${file}: ${complaint.slice(0, 400)}`);
  }
  // The SIMD build is refused without SIMD, and valid once SIMD is the only feature added.
  assert.notEqual(validateWithoutSimd('imagelab-worker-simd_bg.wasm'), '');
  const withSimd = validateWithoutSimd('imagelab-worker-simd_bg.wasm', ['--enable-simd']);
  assert.equal(withSimd, '', withSimd.slice(0, 400));
});

for (const [query, wasm, other, detail] of [
  ['?lang=en', 'imagelab-worker-simd_bg.wasm', 'imagelab-worker_bg.wasm', /WebAssembly SIMD/],
  ['?lang=en&simd=0', 'imagelab-worker_bg.wasm', 'imagelab-worker-simd_bg.wasm', /no SIMD/],
]) {
  test(`${query}: the worker loads ${wasm}, trains and says which build it is`, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const fetched = [];
    const errors = [];
    // The page's and its workers' requests (not the service worker's own, which caches files).
    context.on('request', (r) => { if (!r.serviceWorker()) fetched.push(new URL(r.url()).pathname.split('/').pop()); });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${server.url}${query}#/train`);
    await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
    await page.selectOption('#device', 'cpu');
    await page.selectOption('#model-preset', 'small-cnn');
    await page.fill('#epochs', '1');
    await page.locator('#epochs').dispatchEvent('change');
    await page.click('#train-button');
    await page.getByText('Training finished').waitFor({ timeout: 600_000 });
    assert.equal(await page.getAttribute('#backend', 'data-backend'), 'cpu');
    assert.match(await page.textContent('#backend'), detail);
    const acc = Number(await page.getAttribute('#val-accuracy', 'data-value'));
    assert.ok(acc > 0.7, `validation accuracy after one epoch of the small CNN: ${acc}`);
    assert.ok(fetched.includes(wasm), `fetched ${wasm}: ${fetched.join(' ')}`);
    assert.ok(!fetched.includes(other), `did not fetch ${other}`);
    console.log(`# ${wasm}: validation accuracy ${acc.toFixed(3)}, ${await page.getAttribute('.progress-text', 'data-elapsed-ms')} ms`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
