// Offline and installable, from a sub-path: after one visit the lab trains with the network cut
// (service worker), and the page works under /imagelab/ as on GitHub Pages (relative paths).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, server, browser } from './harness.mjs';

useApp({ prefix: '/imagelab/' });

test('after one visit the lab works with no network, from a sub-path', async () => {
  assert.match(server.url, /\/imagelab\/$/);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?lang=ja#/train`);
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  // Installable: a manifest with icons.
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector('link[rel="manifest"]').href;
    return (await fetch(href)).json();
  });
  assert.equal(manifest.short_name, '画像分類ラボ');
  assert.deepEqual(manifest.icons.map((i) => i.sizes), ['192x192', '512x512']);
  // The service worker has cached every file, the training worker too (never fetched yet): the
  // SIMD build Chromium runs, not the fallback.
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    const keys = await (await caches.open('imagelab-v1')).keys();
    const has = (f) => keys.some((k) => k.url.endsWith(`/${f}`));
    return registration.active && has('imagelab-worker-simd_bg.wasm') && has('simd.js') && keys.length >= 15;
  }, null, { timeout: 120_000, polling: 250 });

  assert.equal(await page.evaluate(async () => (await (await caches.open('imagelab-v1')).keys())
    .some((k) => k.url.endsWith('/imagelab-worker_bg.wasm'))), false, 'the fallback worker is not downloaded');
  await context.setOffline(true);
  await page.reload();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  assert.equal(await page.evaluate(() => navigator.onLine), false);
  await page.fill('#epochs', '1');
  await page.locator('#epochs').dispatchEvent('change');
  await page.selectOption('#device', 'cpu');
  await page.click('#train-button');
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });
  assert.ok(Number(await page.getAttribute('#val-accuracy', 'data-value')) > 0.8);
  // A shared link opens offline too (the same page, whatever its query and hash).
  await page.goto(`${server.url}?lang=en#/share`);
  await page.locator('#share-url').waitFor({ timeout: 60_000 });
  assert.deepEqual(errors, []);
  await context.close();
});
