// End-to-end tests of the built app (dist/, from `trunk build`) in headless Chromium.
// Run: node --test tests/e2e/   (make test does, after building)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unnamedControls } from './layout.mjs';
import { useApp, server, browser } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${root}tests/e2e/artifacts`;
mkdirSync(ARTIFACTS, { recursive: true });

useApp();

async function openPage(query = '?lang=ja', viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'ja-JP' });
  const page = await context.newPage();
  const errors = [];
  const fetched = [];
  page.on('request', (r) => fetched.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${server.url}${query}#/train`);
  await page.locator('h1').waitFor();
  return { page, context, errors, fetched };
}

test('the page opens in Japanese with the eight labs', async () => {
  const { page, context, fetched } = await openPage('');
  assert.equal(await page.locator('h1').textContent(), '画像分類ラボ');
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  const tabs = await page.locator('nav.labs a').allTextContents();
  assert.deepEqual(tabs, ['はじめに', '画像', 'データ拡張', 'データ', '表データ', 'しくみ', '学習', '比較', '共有']);
  await page.click('nav.labs a[href="#/share"]');
  await page.locator('#share-url').waitFor();
  await page.click('nav.labs a[href="#/train"]');
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  // Opened on the training lab, the page fetches the worker ahead of training (and not on a
  // first visit to another lab: firstvisit.test.mjs).
  assert.ok(fetched.some((u) => u.includes('imagelab-worker-simd_bg.wasm')), 'the training lab fetches the worker');
  assert.ok(!fetched.some((u) => u.includes('imagelab-worker_bg.wasm')), 'only the build this browser runs');
  await context.close();
});

test('?lang=en and the switch change the language', async () => {
  const { page, context } = await openPage('?lang=en');
  assert.equal(await page.locator('h1').textContent(), 'ImageLab');
  await page.click('#lang-switch');
  await page.locator('h1', { hasText: '画像分類ラボ' }).waitFor();
  assert.match(page.url(), /lang=ja/);
  await context.close();
});

test('every control has an accessible name', async () => {
  const { page, context } = await openPage();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  const unnamed = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('button, input, select, a[href], progress, canvas, svg[role], video')) {
      if (el.closest('[aria-hidden="true"]')) continue;
      const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.textContent.trim()
        // A label around the control names it too (the accessibility-tree test below agrees).
        || (el.closest('label')?.textContent.trim() && el.tagName !== 'BUTTON');
      if (!labelled) out.push(el.outerHTML.slice(0, 80));
    }
    return out;
  });
  assert.deepEqual(unnamed, []);
  await context.close();
});

test('every control in every lab has an accessible name (Chromium\'s accessibility tree)', async () => {
  const { page, context } = await openPage('?lang=ja', { width: 390, height: 844 });
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  const found = {};
  const look = async (name) => {
    const unnamed = await unnamedControls(page);
    if (unnamed.length) found[name] = unnamed;
  };
  await look('train');
  // The transfer-learning choices, with fine-tuning, appear only when chosen.
  await page.selectOption('#model-family', 'transfer');
  await page.selectOption('#transfer-unfreeze', '2');
  await look('train (transfer, fine-tuning)');
  let labs = 0;
  for (const lab of ['start', 'image', 'augment', 'data', 'table', 'concepts', 'compare', 'share']) {
    await page.locator(`nav.labs a[href="#/${lab}"]`).click();
    await page.waitForFunction((l) => location.hash === `#/${l}`, lab);
    await page.waitForTimeout(700);
    await look(lab);
    labs += 1;
  }
  assert.equal(labs, 8);
  assert.deepEqual(found, {});
  await context.close();
});

test('training on the built-in digits passes 90% while the page stays responsive', async () => {
  const { page, context, errors } = await openPage();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.fill('#epochs', '3');
  await page.locator('#epochs').dispatchEvent('change');
  const t0 = Date.now();
  await page.click('#train-button');
  await page.locator('#backend').waitFor({ timeout: 120_000 });
  const backend = await page.getAttribute('#backend', 'data-backend');
  // Mid-training, the language switch still answers at once.
  await page.locator('#progress').waitFor();
  const tSwitch = Date.now();
  await page.click('#lang-switch');
  await page.locator('h1', { hasText: 'ImageLab' }).waitFor({ timeout: 5_000 });
  const switchMs = Date.now() - tSwitch;
  await page.click('#lang-switch');
  await page.locator('h1', { hasText: '画像分類ラボ' }).waitFor({ timeout: 5_000 });
  assert.ok(await page.locator('#stop-button:not([disabled])').count() === 1, 'stop is enabled while training');

  await page.waitForFunction(() => {
    const el = document.querySelector('#val-accuracy');
    return el && Number(el.dataset.value) >= 0.9;
  }, null, { timeout: 600_000, polling: 250 });
  const reached = Date.now() - t0;
  await page.getByText('学習が終わりました').waitFor({ timeout: 600_000 });
  await page.locator('.confusion table').waitFor();
  // Inside the trained network: probabilities, the 8 first-layer filters, two layers of maps.
  await page.locator('#inspect').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#probabilities li').count(), 10);
  assert.equal(await page.locator('#filters canvas').count(), 8);
  assert.equal(await page.locator('.feature-maps').count(), 2);
  assert.equal(await page.locator('.feature-maps').nth(1).locator('canvas').count(), 16);
  const first = await page.getAttribute('#inspect', 'data-index');
  await page.click('#inspect-next');
  await page.waitForFunction((f) => document.querySelector('#inspect')?.dataset.index !== f, first);
  // A confident mistake can be opened inside the network too.
  await page.locator('#mistakes button.thumb-button').first().click();
  await page.waitForFunction(() => {
    const label = document.querySelector('#mistakes button.thumb-button')?.getAttribute('aria-label') ?? '';
    return document.querySelector('.inspect-image figcaption')?.textContent.includes(label.match(/予測 (\d)/)?.[0] ?? 'x');
  });
  await page.screenshot({ path: `${ARTIFACTS}/train-desktop.png`, fullPage: true });
  console.log(`# backend=${backend} 90%-after=${reached}ms lang-switch=${switchMs}ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('stop ends a run early, the page stays usable, and resume continues it', async () => {
  const { page, context } = await openPage();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.fill('#epochs', '50');
  await page.locator('#epochs').dispatchEvent('change');
  await page.click('#train-button');
  await page.locator('#progress').waitFor({ timeout: 120_000 });
  // Stop once the curves have a point.
  await page.locator('#val-accuracy').waitFor({ timeout: 120_000 });
  await page.click('#stop-button');
  await page.getByText('学習を途中で止めました').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#train-button:not([disabled])').count(), 1);
  // Resume continues from the step it stopped at, with the same curve.
  const stoppedAt = Number(await page.getAttribute('.progress-text', 'data-step'));
  assert.equal(await page.locator('#history-table tbody tr.stopped').count(), 1);
  await page.click('#resume-button');
  await page.waitForFunction((s) => Number(document.querySelector('.progress-text')?.dataset.step) > s + 2, stoppedAt, { timeout: 120_000 });
  await page.click('#stop-button');
  await page.getByText('学習を途中で止めました').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#history-table tbody tr').count(), 1, 'a resumed run stays one run');
  await context.close();
});

test('a worker that cannot load is reported in words', async () => {
  const { page, context } = await openPage();
  // On the context, so the service worker's fetches are refused too.
  await context.route('**/imagelab-worker*_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.click('#train-button');
  const msg = page.locator('#run-message.error');
  await msg.waitFor({ timeout: 60_000 });
  assert.match(await msg.textContent(), /学習ワーカーが動きませんでした/);
  assert.equal(await page.locator('#train-button:not([disabled])').count(), 1, 'can try again');
  await context.close();
});

test('the training and augmentation labs fit a phone screen', async () => {
  const { page, context } = await openPage('?lang=ja', { width: 390, height: 844 });
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: `${ARTIFACTS}/train-phone.png`, fullPage: true });
  await page.click('nav.labs a[href="#/augment"]');
  await page.locator('#aug-grid[data-count="16"]').waitFor({ timeout: 30_000 });
  const augOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(augOverflow <= 0, `the augmentation lab is ${augOverflow}px wider than the phone`);
  await page.screenshot({ path: `${ARTIFACTS}/augment-phone.png`, fullPage: true });
  await context.close();
});

test('the image lab shows a photo as pixels, filters it, and survives a bad file', async () => {
  const { page, context, errors } = await openPage('?lang=ja');
  await page.click('nav.labs a[href="#/image"]');
  await page.locator('#image-original').waitFor();
  // The sample scene: reading a pixel by hovering.
  const box = await page.locator('#image-original').boundingBox();
  await page.mouse.move(box.x + 5, box.y + 5);
  await page.locator('#pixel-readout', { hasText: 'R=' }).waitFor();
  // Several files at once, one of them broken: the good ones load, the bad one is named.
  await page.setInputFiles('#image-file', [
    { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG broken') },
    { name: 'digits.png', mimeType: 'image/png', buffer: readFileSync(`${root}www/data/digits.png`) },
  ]);
  await page.locator('#image-error').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('#image-error').textContent(), /broken\.png/);
  // A real PNG through the file picker (the built-in digits sprite, 1400×2240 → 400×640).
  await page.getByText('大きさ: 400 × 640').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('.gallery .thumb').count(), 1);
  // Loaded photos survive a visit to another lab.
  await page.click('nav.labs a[href="#/train"]');
  await page.click('nav.labs a[href="#/image"]');
  await page.getByText('大きさ: 400 × 640').waitFor();
  // A file that is not an image: a message, and the picture stays.
  await page.setInputFiles('#image-file', { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not an image') });
  await page.locator('#image-error').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('#image-error').textContent(), /読み込めませんでした/);
  await page.getByText('大きさ: 400 × 640').waitFor();
  // A decompression bomb (a PNG header claiming 100,000 × 100,000) is refused from its header.
  const bomb = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'),
    Buffer.from([0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0, 8, 2, 0, 0, 0, 0, 0, 0, 0]),
  ]);
  await page.setInputFiles('#image-file', { name: 'bomb.png', mimeType: 'image/png', buffer: bomb });
  await page.locator('#image-error', { hasText: 'bomb.png' }).waitFor({ timeout: 30_000 });
  assert.match(await page.locator('#image-error').textContent(), /画素数が多すぎる.*100000×100000/);
  await page.getByText('大きさ: 400 × 640').waitFor();
  // Filters and geometry with the course's Python line.
  await page.selectOption('#filter-kind', 'sobelx');
  await page.selectOption('#geo-kind', 'flipv');
  assert.equal(await page.locator('#geo-code').textContent(), 'img[::-1, :]');
  // The convolution explainer on the 6×6 example: mean 3×3 with zero padding.
  await page.selectOption('#filter-kind', 'mean3');
  await page.selectOption('#filter-border', 'zero');
  await page.locator('#explain-sum', { hasText: '合計 = 4.44' }).waitFor();   // (10·4 + 0·5) / 9
  await page.click('#explain-next');
  await page.locator('#explain-sum', { hasText: '合計 = 14.44' }).waitFor();  // (10·5 + 80) / 9
  // Edge mode fills the outside with the edge pixel: 90 / 9 = 10 at the corner.
  await page.click('#explain-prev');
  await page.selectOption('#filter-border', 'edge');
  await page.locator('#explain-sum', { hasText: '合計 = 10' }).waitFor();
  // A custom kernel: the identity with its centre set to 2 doubles the pixel.
  await page.selectOption('#filter-kind', 'custom');
  await page.fill('#kernel-1-1', '2');
  await page.locator('#kernel-1-1').dispatchEvent('change');
  await page.locator('#explain-sum', { hasText: '合計 = 20' }).waitFor();
  await page.click('#image-sample');
  // Filtering in colour keeps colour; in gray every pixel has R = G = B.
  const coloured = () => page.evaluate(() => {
    const c = document.querySelector('#image-filtered');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1]) n++;
    return n;
  });
  assert.equal(await coloured(), 0);
  await page.check('#filter-colour');
  await page.waitForFunction(() => {
    const c = document.querySelector('#image-filtered');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1]) n++;
    return n > 1000;
  });
  await page.uncheck('#filter-colour');
  // Resize to a chosen size, then crop by dragging a rectangle on the original (320×240).
  await page.selectOption('#geo-kind', 'resize');
  await page.fill('#geo-w', '100');
  await page.locator('#geo-w').dispatchEvent('change');
  await page.locator('#geo-code', { hasText: 'transform.resize(img, (60, 100), anti_aliasing=True)' }).waitFor();
  await page.getByText('変換後の画像 — 100 × 60').waitFor();
  await page.locator('#image-original').scrollIntoViewIfNeeded();
  const r = await page.locator('#image-original').boundingBox();
  await page.mouse.move(r.x + r.width * 0.25, r.y + r.height * 0.25);
  await page.mouse.down();
  await page.mouse.move(r.x + r.width * 0.5, r.y + r.height * 0.5, { steps: 5 });
  await page.mouse.up();
  await page.locator('#geo-code', { hasText: /^img\[\d+:\d+, \d+:\d+\]$/ }).waitFor();
  const code = await page.locator('#geo-code').textContent();
  const [, y0, y1, x0, x1] = code.match(/img\[(\d+):(\d+), (\d+):(\d+)\]/).map(Number);
  assert.ok(Math.abs(x0 - 80) <= 2 && Math.abs(x1 - 161) <= 2 && Math.abs(y0 - 60) <= 2 && Math.abs(y1 - 121) <= 2, code);
  await page.getByText(`変換後の画像 — ${x1 - x0} × ${y1 - y0}`).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/image-lab.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the webcam shows a live filtered view, and a frame or a dropped file becomes the photo', async () => {
  const { page, context, errors } = await openPage('?lang=en');
  await context.grantPermissions(['camera']);
  await page.click('nav.labs a[href="#/image"]');
  await page.locator('#image-original').waitFor();
  // Drop a PNG on the lab.
  const dt = await page.evaluateHandle(async () => {
    const blob = await (await fetch('data/digits.png')).blob();
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], 'digits.png', { type: 'image/png' }));
    return transfer;
  });
  await page.dispatchEvent('section.lab.image', 'drop', { dataTransfer: dt });
  await page.getByText('Size: 400 × 640').waitFor({ timeout: 30_000 });
  // Chromium's fake camera: live frames are filtered and timed.
  await page.selectOption('#filter-kind', 'sobel');
  await page.click('#camera-start');
  await page.waitForFunction(() => document.querySelector('#camera-ms')?.dataset.ms, null, { timeout: 30_000 });
  const ms = Number(await page.getAttribute('#camera-ms', 'data-ms'));
  console.log(`# live Sobel magnitude frame (640x480, dev build): ${ms} ms`);
  await page.click('#camera-capture');
  await page.getByText('Size: 640 × 480').waitFor({ timeout: 10_000 });
  await page.click('#camera-stop');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a camera the browser refuses says why in both languages, and what to do', async () => {
  const { page, context, errors } = await openPage('?lang=ja');
  await page.click('nav.labs a[href="#/image"]');
  await page.locator('#camera-start').waitFor();
  // As when the student taps "Block" on the permission prompt, then when another app holds the
  // camera: getUserMedia rejects with the DOMException the browser would throw.
  const refuse = (name, message) => page.evaluate(([name, message]) => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException(message, name));
  }, [name, message]);
  await refuse('NotAllowedError', 'Permission denied');
  await page.click('#camera-start');
  await page.locator('#camera-error', { hasText: 'カメラの使用が許可されていません' }).waitFor({ timeout: 10_000 });
  assert.match(await page.locator('#camera-error').textContent(), /^カメラを使えませんでした：カメラの使用が許可されていません（アドレスバーの鍵/);
  await refuse('NotReadableError', 'Could not start video source');
  await page.click('#camera-start');
  await page.locator('#camera-error', { hasText: 'ほかのアプリかタブ' }).waitFor({ timeout: 10_000 });
  await page.click('#lang-switch');
  assert.equal(
    await page.locator('#camera-error').textContent(),
    'The camera could not be used: the camera would not start; if another app or tab is using it, close that and try again',
  );
  // A reason the page does not know by name is passed on in the browser's words.
  await refuse('AbortError', 'Starting videoinput failed');
  await page.click('#camera-start');
  await page.locator('#camera-error', { hasText: 'Starting videoinput failed' }).waitFor({ timeout: 10_000 });
  // A page opened over plain http on the school network (http://192.168.…) has no
  // navigator.mediaDevices at all: the student is told why.
  await page.evaluate(() => Object.defineProperty(Navigator.prototype, 'mediaDevices', { get: () => undefined, configurable: true }));
  await page.click('#camera-start');
  await page.locator('#camera-error', { hasText: 'https or on localhost' }).waitFor({ timeout: 10_000 });
  await page.click('#lang-switch');
  assert.match(await page.locator('#camera-error').textContent(), /https か localhost で開いたページでしか使えません/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the augmentation lab previews 16 seeded draws, edits the pipeline, and refuses bad parameters', async () => {
  const { page, context, errors } = await openPage();
  await page.click('nav.labs a[href="#/augment"]');
  const grid = page.locator('#aug-grid[data-count="16"]');
  await grid.waitFor({ timeout: 30_000 });
  // Every draw's pixels, as data URLs.
  const draws = () => page.$$eval('#aug-grid canvas', (cs) => cs.map((c) => c.toDataURL()));
  const original = () => page.$eval('#aug-original', (c) => c.toDataURL());
  const first = await draws();
  assert.equal(first.length, 16);
  assert.ok(new Set(first).size > 8, 'random draws differ from one another');
  assert.match(await page.textContent('#aug-code'), /T\.RandomApply\(\[T\.RandomRotation\(15, interpolation=T\.InterpolationMode\.BILINEAR\)\], p=0\.8\)/);

  await page.click('#aug-redraw');
  await page.locator('#aug-grid[data-seed="2"]').waitFor();
  assert.notDeepEqual(await draws(), first, 'another seed, other draws');
  await page.fill('#aug-seed', '1');
  await page.locator('#aug-seed').dispatchEvent('change');
  await page.locator('#aug-grid[data-seed="1"]').waitFor();
  assert.deepEqual(await draws(), first, 'the same seed gives the same grid');

  // No steps: every draw is the original. One horizontal flip at p = 1: every draw is its mirror.
  await page.click('#aug-clear');
  await page.locator('#aug-empty').waitFor();
  const orig = await original();
  assert.ok((await draws()).every((d) => d === orig));
  await page.selectOption('#aug-add-kind', 'flip-h');
  await page.click('#aug-add');
  await page.fill('#aug-p-0', '1');
  await page.locator('#aug-p-0').dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('#aug-code').textContent.includes('RandomHorizontalFlip(p=1)'));
  const flipped = await draws();
  assert.equal(new Set(flipped).size, 1, 'p = 1 flips every draw the same way');
  assert.notEqual(flipped[0], orig);

  // A parameter out of range is refused in words and draws nothing; fixing it draws again.
  await page.selectOption('#aug-add-kind', 'rotate');
  await page.click('#aug-add');
  await page.fill('#aug-1-degrees', '400');
  await page.locator('#aug-1-degrees').dispatchEvent('change');
  await page.locator('#aug-error[role="alert"]').waitFor();
  assert.match(await page.textContent('#aug-error'), /rotate\.degrees/);
  assert.equal(await page.getAttribute('#aug-grid', 'data-count'), '0');
  await page.click('button[aria-label="削除: ランダム回転"]');
  await page.locator('#aug-grid[data-count="16"]').waitFor();
  assert.equal(await page.locator('#aug-error').count(), 0);

  // Mixup is a batch-level option: refused out of range, shown as torchvision's MixUp.
  await page.fill('#aug-mixup', '9');
  await page.locator('#aug-mixup').dispatchEvent('change');
  await page.locator('#aug-error[role="alert"]').waitFor();
  await page.fill('#aug-mixup', '0.2');
  await page.locator('#aug-mixup').dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('#aug-code').textContent.includes('T.MixUp(alpha=0.2'));
  assert.equal(await page.locator('#aug-error').count(), 0);
  // The image lab's photo (the sample scene) as the source, scaled for the preview.
  await page.selectOption('#aug-source', 'photo');
  await page.waitForFunction(() => document.querySelector('#aug-original')?.width === 112);
  await page.screenshot({ path: `${ARTIFACTS}/augment-desktop.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('an ablation trains with and without augmentation and draws both runs', async () => {
  const { page, context, errors } = await openPage();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.fill('#epochs', '1');
  await page.locator('#epochs').dispatchEvent('change');
  await page.click('#ablation-button');
  await page.locator('#ablation-current', { hasText: '拡張あり' }).waitFor({ timeout: 120_000 });
  await page.locator('#prepare-ms').waitFor({ timeout: 120_000 });
  const prepareMs = Number(await page.getAttribute('#prepare-ms', 'data-prepare-ms'));
  const stepMs = Number(await page.getAttribute('#prepare-ms', 'data-step-ms'));
  assert.ok(prepareMs > 0 && prepareMs < stepMs, `preparing a batch (${prepareMs} ms) is cheaper than a step (${stepMs} ms)`);
  await page.locator('#ablation-current', { hasText: '拡張なし' }).waitFor({ timeout: 300_000 });
  await page.locator('#ablation-done').waitFor({ timeout: 300_000 });
  // Drawn by plotters: both runs' lines, each in its own colour.
  const keys = (await page.getAttribute('#acc-chart', 'data-series')).split(' ');
  assert.deepEqual(keys, ['train-run0', 'val-run0', 'train-run1', 'val-run1']);
  assert.ok(await page.locator('#acc-chart polyline').count() >= 2, 'plotted lines');
  assert.ok(await page.locator('#acc-chart text').count() >= 5, 'axis labels');
  const legend = await page.locator('.chart .legend').first().textContent();
  assert.match(legend, /拡張あり: 検証データ/);
  assert.match(legend, /拡張なし: 検証データ/);
  assert.equal(await page.locator('#ablation-table tbody tr').count(), 2);
  console.log(`# augmented batch prepared in ${prepareMs} ms; step ${stepMs} ms`);
  await page.screenshot({ path: `${ARTIFACTS}/ablation.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the model builder shows shapes and parameters, refuses an impossible stack, and trains the course MLP', async () => {
  const { page, context, errors } = await openPage();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  // The default small CNN: 7 × 7 × 16 before flattening.
  assert.equal(await page.getAttribute('#param-total', 'data-total'), String((72 + 8) + (1152 + 16) + (784 * 64 + 64) + (640 + 10)));
  assert.equal(await page.locator('#layers li[data-kind="maxpool"] .shape').nth(1).textContent(), '(7, 7, 16)');
  // A convolution after Flatten cannot work: said in words, and training refuses to start.
  await page.selectOption('#layer-add-kind', 'conv');
  await page.click('#layer-add');
  await page.locator('#model-error[role="alert"]').waitFor();
  assert.match(await page.textContent('#model-error'), /7 番目の層/);
  await page.click('#train-button');
  await page.locator('#run-message.error').waitFor();
  await page.click('button[aria-label="削除: 7 畳み込み層 Conv2D"]');
  await page.locator('#param-total').waitFor();
  // A sigmoid output (binary cross-entropy) is for two classes; the digits have ten.
  await page.selectOption('#model-output', 'sigmoid');
  await page.locator('#model-error[role="alert"]', { hasText: '2 クラスのデータ専用' }).waitFor();
  assert.match(await page.textContent('#model-code'), /Dense\(1, activation="sigmoid"\)/);
  await page.selectOption('#model-output', 'softmax');
  await page.locator('#param-total').waitFor();
  // The course's MLP, trained for one epoch with RMSprop.
  await page.selectOption('#model-preset', 'mlp');
  assert.equal(await page.getAttribute('#param-total', 'data-total'), String(784 * 10 + 10 + 110 + 110));
  assert.match(await page.textContent('#model-code'), /layers\.Dense\(10, activation="tanh"\)/);
  await page.selectOption('#optimizer', 'rmsprop');
  await page.fill('#epochs', '2');
  await page.locator('#epochs').dispatchEvent('change');
  await page.click('#train-button');
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });
  const acc = Number(await page.getAttribute('#val-accuracy', 'data-value'));
  assert.ok(acc > 0.6, `MLP validation accuracy ${acc}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('K-fold cross-validation trains K models and reports each fold and the mean ± sd', async () => {
  const { page, context, errors } = await openPage();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.selectOption('#validation', 'kfold');
  await page.locator('#folds').waitFor();
  assert.equal(await page.inputValue('#folds'), '3');
  await page.fill('#epochs', '1');
  await page.locator('#epochs').dispatchEvent('change');
  await page.click('#train-button');
  await page.locator('.progress-text', { hasText: '分割 2/3' }).waitFor({ timeout: 300_000 });
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });
  assert.equal(await page.locator('#fold-table tbody tr').count(), 3);
  const mean = Number(await page.getAttribute('#fold-mean', 'data-val-mean'));
  const sd = Number(await page.getAttribute('#fold-mean', 'data-val-sd'));
  assert.ok(mean > 0.6 && sd >= 0 && sd < 0.1, `mean ${mean} sd ${sd}`);
  // Every image is validated exactly once: the summed confusion matrix counts all 4,000.
  const total = await page.$$eval('.confusion td', (tds) => tds.reduce((s, td) => s + Number(td.textContent), 0));
  assert.equal(total, 4000);
  assert.equal(await page.locator('#class-table tbody tr').count(), 10);
  // A cell of the matrix opens its images; the surest mistakes are shown with their confidence.
  const cell = page.locator('button.cell[aria-label^="正解 4 / 予測 9"]');
  const n = Number(await cell.textContent());
  await cell.click();
  await page.locator('#cell-images').waitFor();
  assert.equal(Number(await page.getAttribute('#cell-images', 'data-count')), n);
  assert.equal(await page.locator('#cell-images canvas').count(), Math.min(n, 60));
  assert.equal(await page.locator('#mistakes .thumb-grid figure').count(), 12);
  assert.match(await page.locator('#mistakes .thumb-grid figure figcaption').first().textContent(), /正解 \d → 予測 \d \(\d+%\)/);
  // Each mistake opens inside the model of its own fold: that model predicts what the list says.
  for (const k of [0, 5, 11]) {
    const caption = await page.locator('#mistakes .thumb-grid figure figcaption').nth(k).textContent();
    const [, truth, predicted] = caption.match(/正解 (\d) → 予測 (\d)/);
    await page.locator('#mistakes button.thumb-button').nth(k).click();
    await page.waitForFunction(
      ([t, p]) => document.querySelector('.inspect-image figcaption')?.textContent.endsWith(`正解 ${t} · 予測 ${p}`),
      [truth, predicted], { timeout: 30_000 });
  }
  await page.screenshot({ path: `${ARTIFACTS}/kfold.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('every run is kept in the history; a learning-rate sweep is one glance', async () => {
  const { page, context, errors } = await openPage();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.fill('#epochs', '1');
  await page.locator('#epochs').dispatchEvent('change');
  for (const [i, lr] of ['0.003', '0.0005'].entries()) {
    await page.fill('#lr', lr);
    await page.locator('#lr').dispatchEvent('change');
    await page.click('#train-button');
    await page.locator(`#history-table tbody tr[data-run="${i + 1}"]`).waitFor({ timeout: 300_000 });
  }
  assert.equal(await page.locator('#history-table tbody tr').count(), 2);
  // Only the learning rate differs, and it is marked.
  assert.equal(await page.locator('#history-table td.varied').count(), 2);
  assert.deepEqual(await page.locator('#history-table td.varied').allTextContents(), ['0.0005', '0.003']);
  // Both runs are drawn; unticking one hides it.
  const vals = async () => (await page.getAttribute('#acc-chart', 'data-series')).split(' ').filter((k) => k.startsWith('val'));
  assert.equal((await vals()).length, 2);
  assert.match(await page.locator('.chart .legend').first().textContent(), /#1: .*#2: /);
  await page.click('input[aria-label="#1 グラフに表示"]');
  await page.waitForFunction(() => document.querySelector('#acc-chart')?.dataset.series.split(' ').filter((k) => k.startsWith('val')).length === 1);
  const best = await page.$$eval('#history-table td.best', (tds) => tds.map((td) => Number(td.dataset.value)));
  assert.ok(best.every((v) => v > 0.3), `best accuracies ${best}`);
  await page.screenshot({ path: `${ARTIFACTS}/history.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a trained model is saved as a file and loads again with the same accuracy; a wrong file is refused', async () => {
  const { page, context, errors } = await openPage();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.fill('#epochs', '1');
  await page.locator('#epochs').dispatchEvent('change');
  await page.click('#train-button');
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });
  const trained = Number(await page.getAttribute('#val-accuracy', 'data-value'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
  const file = `${ARTIFACTS}/model.bpk`;
  await download.saveAs(file);
  assert.equal(download.suggestedFilename(), 'imagelab-model.bpk');
  const bytes = readFileSync(file);
  assert.ok(bytes.length > 200_000, `model file of ${bytes.length} bytes`);
  // Also kept in the browser (IndexedDB): after a reload it is listed and loads with the same accuracy.
  await page.click('#save-model-browser');
  await page.locator('#saved-model-message').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#saved-models tr.saved-model').count(), 1);
  await page.reload();
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.locator('#saved-models tr.saved-model button:not(.danger)').click();
  await page.locator('#model-loaded').waitFor({ timeout: 120_000 });
  assert.equal(Number(await page.getAttribute('#model-loaded', 'data-value')), trained);
  await page.locator('#saved-models tr.saved-model button.danger').click();
  await page.locator('#saved-models').waitFor({ state: 'detached' });
  await context.close();

  // A fresh page (new worker) loads the file and measures it on the same validation part.
  const fresh = await openPage();
  await fresh.page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await fresh.page.setInputFiles('#load-model', file);
  await fresh.page.locator('#model-loaded').waitFor({ timeout: 120_000 });
  const loaded = Number(await fresh.page.getAttribute('#model-loaded', 'data-value'));
  assert.equal(loaded, trained, 'the loaded model judges the validation data exactly as the trained one did');
  // The loaded model predicts live from the (fake) camera, one frame in flight at a time.
  await fresh.context.grantPermissions(['camera']);
  await fresh.page.click('#live-start');
  await fresh.page.waitForFunction(() => Number(document.querySelector('#live-probabilities')?.dataset.count) >= 10, null, { timeout: 60_000 });
  assert.equal(await fresh.page.locator('#live-probabilities li').count(), 10);
  await fresh.page.waitForFunction(() => document.querySelector('#live-rate')?.dataset.rate, null, { timeout: 30_000 });
  console.log(`# live predictions per second (dev build, CPU): ${await fresh.page.getAttribute('#live-rate', 'data-rate')}`);
  await fresh.page.click('#live-stop');
  // Not a model file: said in words, the page goes on.
  await fresh.page.setInputFiles('#load-model', { name: 'notes.bpk', mimeType: 'application/octet-stream', buffer: Buffer.from('hello') });
  await fresh.page.locator('#notice[role="alert"]').waitFor({ timeout: 60_000 });
  assert.match(await fresh.page.textContent('#notice'), /モデルファイルを読み込めません/);
  // The loaded model is still there: the refusal did not end anything.
  assert.equal(await fresh.page.locator('#model-loaded').count(), 1);
  assert.equal(await fresh.page.locator('#train-button:not([disabled])').count(), 1);
  assert.deepEqual(errors, []);
  assert.deepEqual(fresh.errors.filter((e) => !e.includes('model file')), []);
  await fresh.context.close();
});

// Opens the page with the lost-GPU test hook in `query`, starts the course MLP for 2 epochs on
// WebGPU and waits for the reason the run moved to the CPU (only written for a run that was on
// the GPU).
async function loseTheGpu(query) {
  const { page, context, errors } = await openPage(query);
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.selectOption('#model-preset', 'mlp');
  await page.selectOption('#device', 'webgpu');
  await page.fill('#epochs', '2');
  await page.dispatchEvent('#epochs', 'change');
  await page.click('#train-button');
  await page.locator('#fallback-reason').waitFor({ timeout: 300_000 });
  return { page, context, errors, reason: await page.textContent('#fallback-reason') };
}

test('a WebGPU device destroyed mid-run: the run goes on on the CPU from the last finished epoch', async () => {
  // The test hook calls WebGPU's device.destroy() on the worker's device before step 50 (epoch 2
  // of 2, 44 steps each), as when the browser takes the device away: the worker itself lives and
  // must notice.
  const { page, context, errors, reason } = await loseTheGpu('?lang=en&lose-gpu-at=50&lose-gpu-by=destroy');
  // wgpu's own words for it, on one line (its chain of causes condensed, no backtrace).
  assert.match(reason, /^The GPU was lost \([^()\n]*Device was destroyed[^()\n]*\)\. Continuing on the CPU from the end of epoch 1 /, reason);
  await page.getByText('Training finished.').waitFor({ timeout: 300_000 });
  assert.equal(await page.getAttribute('#backend', 'data-backend'), 'cpu');
  const acc = Number(await page.getAttribute('#val-accuracy', 'data-value'));
  assert.ok(acc > 0.6, `validation accuracy ${acc} after continuing`);
  assert.ok((await page.locator('#history-table tbody tr').count()) === 1, 'one run in the history');
  // Nothing crashed and nothing was logged: the worker saw the loss as a failed read-back.
  assert.deepEqual(errors, []);
  await context.close();
});

test('a GPU lost mid-run: the run goes on on the CPU from the last finished epoch', async () => {
  // The test hook makes the WebGPU worker crash before step 50 (epoch 2 of 2, 44 steps each),
  // as when the browser's GPU process dies.
  const { page, context, errors, reason } = await loseTheGpu('?lang=en&lose-gpu-at=50');
  assert.match(reason, /The GPU was lost \(.*crashed.*\)\. Continuing on the CPU from the end of epoch 1/s, reason);
  await page.getByText('Training finished.').waitFor({ timeout: 300_000 });
  assert.equal(await page.getAttribute('#backend', 'data-backend'), 'cpu');
  // Both epochs are on the curves: epoch 1 from the GPU, epoch 2 redone on the CPU.
  const acc = Number(await page.getAttribute('#val-accuracy', 'data-value'));
  assert.ok(acc > 0.6, `validation accuracy ${acc} after continuing`);
  const summary = await page.textContent('#acc-chart desc');
  assert.match(summary, /Validation/);
  assert.ok((await page.locator('#history-table tbody tr').count()) === 1, 'one run in the history');
  // The model continued on the CPU can be saved.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
  assert.equal(download.suggestedFilename(), 'imagelab-model.bpk');
  // Only the crash the hook causes may be logged, once: the worker's panic message, exactly.
  const expected = /^panicked at worker\/src\/main\.rs:\d+:\d+:\nthe GPU was lost \(simulated by the test hook LoseDeviceAt\)$/;
  assert.equal(errors.filter((e) => expected.test(e)).length, 1, JSON.stringify(errors));
  assert.deepEqual(errors.filter((e) => !expected.test(e)), []);
  await context.close();
});
