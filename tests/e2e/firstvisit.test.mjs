// A first visit stays small: the training worker (the heavy part) and the built-in digits are
// fetched only when a lab that needs them is first opened — with a progress line — and are then
// kept for offline use. The bytes of the first visit and of the way to the first training step
// are printed (and written to tests/e2e/artifacts/first-visit.json); DIST=dist-release measures
// the shipped build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useApp, server, browser } from './harness.mjs';

const ARTIFACTS = fileURLToPath(new URL('./artifacts', import.meta.url));
const HEAVY = /imagelab-worker|digits\.(png|labels)/;

useApp();

test('the first visit fetches no worker file until a lab that trains is opened', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Every response from the network, to the page or to its service worker, with its body's size
  // (the test server sends no compression, so this is the files' own size). Answers the service
  // worker gave the page are not network traffic: the network request it made for them is.
  const seen = [];
  context.on('response', async (r) => {
    if (r.fromServiceWorker()) return;
    const entry = { url: r.url(), bytes: 0, bySw: r.request().serviceWorker() !== null };
    seen.push(entry);
    try {
      entry.bytes = (await r.request().sizes()).responseBodySize;
    } catch {
      try { entry.bytes = (await r.body()).length; } catch { /* a redirect or an aborted body */ }
    }
  });
  await page.goto(`${server.url}#/image`);
  await page.locator('#image-sample').waitFor();
  // The service worker installs and caches the app's core files.
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    const keys = await (await caches.open('imagelab-v1')).keys();
    return registration.active && keys.some((k) => k.url.endsWith('/imagelab-web_bg.wasm'));
  }, null, { timeout: 120_000, polling: 250 });
  // Wait for the network to be quiet, then look at what was fetched.
  await page.waitForTimeout(1500);
  const firstVisit = seen.filter((e) => !e.url.startsWith('data:') && !e.url.startsWith('blob:'));
  const heavyEarly = firstVisit.filter((e) => HEAVY.test(e.url));
  assert.deepEqual(heavyEarly.map((e) => e.url), [], 'nothing heavy on the first visit');
  const firstBytes = firstVisit.filter((e) => !e.bySw).reduce((n, e) => n + e.bytes, 0);
  // The service worker's own copy: a static host with ETags answers most of it with 304s.
  const swBytes = firstVisit.filter((e) => e.bySw).reduce((n, e) => n + e.bytes, 0);
  const cached = await page.evaluate(async () => (await (await caches.open('imagelab-v1')).keys()).map((k) => k.url));
  assert.ok(!cached.some((u) => /imagelab-worker|digits/.test(u)), `not cached yet: ${cached.join(', ')}`);

  // Opening the training lab fetches the worker this browser runs and the digits, once, with a
  // progress line, and the service worker keeps them.
  const before = seen.length;
  await page.locator('nav.labs a[href="#/train"]').tap();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 120_000 });
  await page.waitForFunction(async () => {
    const keys = (await (await caches.open('imagelab-v1')).keys()).map((k) => k.url);
    return ['imagelab-worker-simd.js', 'imagelab-worker-simd_bg.wasm', 'data/digits.png', 'data/digits.labels', 'data/tables/iris.csv']
      .every((f) => keys.some((k) => k.endsWith(`/${f}`)));
  }, null, { timeout: 120_000, polling: 250 });
  const later = seen.slice(before);
  const wasm = later.filter((e) => e.url.endsWith('/imagelab-worker-simd_bg.wasm'));
  assert.ok(wasm.length >= 1, 'the worker was fetched when the training lab opened');
  assert.equal(later.filter((e) => e.url.endsWith('/imagelab-worker_bg.wasm')).length, 0, 'not the fallback build');
  // One epoch on the CPU: the bytes until the first training step.
  await page.fill('#epochs', '1');
  await page.locator('#epochs').dispatchEvent('change');
  await page.selectOption('#device', 'cpu');
  await page.locator('#train-button').tap();
  await page.locator('.progress-text[data-step]').waitFor({ timeout: 120_000 });
  await page.waitForTimeout(500);
  // Everything from the network until the first step: the page's own and the service worker's
  // requests (through a controlling service worker, the heavy files are fetched by it).
  const toFirstStep = seen.filter((e) => !e.url.startsWith('data:') && !e.url.startsWith('blob:')).reduce((n, e) => n + e.bytes, 0);
  if (process.env.DEBUG_BYTES) console.log(seen);
  // The test server forbids HTTP caching (`no-store`), so a file the page prefetched is fetched
  // again when the worker starts; a static host's HTTP cache answers that second request, so each
  // file counted once is what a student's phone downloads.
  const once = new Map();
  for (const e of seen) if (!e.url.startsWith('data:') && !e.url.startsWith('blob:')) once.set(e.url, Math.max(once.get(e.url) ?? 0, e.bytes));
  const result = {
    dist: process.env.DIST ?? 'dist', firstVisitBytes: firstBytes, serviceWorkerCopyBytes: swBytes,
    bytesToFirstTrainingStepEachFileOnce: [...once.values()].reduce((a, b) => a + b, 0),
    bytesToFirstTrainingStepNoHttpCache: toFirstStep, workerFetches: wasm.length,
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(`${ARTIFACTS}/first-visit.json`, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a training file the server does not give is reported in both languages, naming it', async () => {
  // No service worker: the request goes to the network, where the route answers 404 for the
  // built-in digits' labels (one of the files the first training lab fetches).
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP', serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/data/digits.labels', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto(`${server.url}#/train`);
  const line = page.locator('#heavy-progress.error');
  await line.waitFor({ timeout: 60_000 });
  assert.equal(
    await line.textContent(),
    '学習用のプログラムを読み込めませんでした。ネットワークを確かめて再読み込みしてください（サーバーが /data/digits.labels を返しませんでした（HTTP 404））',
  );
  await page.click('#lang-switch');
  assert.equal(
    await line.textContent(),
    'The training program could not be loaded; check the network and reload (the server did not give /data/digits.labels (HTTP 404))',
  );
  assert.deepEqual(errors, []);
  await context.close();
});
