// The data lab: a dataset of one's own — classes, images from files, zips and the webcam,
// kept in IndexedDB across reloads, split, exported, and trained on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { zip, zipNames } from './zip.mjs';
import { useApp, server, browser } from './harness.mjs';
import { drawPngs, openData } from './datalab.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${root}tests/e2e/artifacts`;

useApp();


const count = (page, name) => page.locator(`section.class-block[data-class-name="${name}"] .count`).getAttribute('data-count').then(Number);

test('a dataset of my own: classes, files, persistence, selection, split, export, training', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
  const { page, errors } = await openData(context);

  await page.fill('#dataset-new', '硬貨');
  await page.click('#dataset-create');
  await page.locator('#dataset-name').waitFor();
  assert.equal(await page.inputValue('#dataset-name'), '硬貨');
  for (const name of ['1円玉', '四角']) {
    await page.fill('#class-new', name);
    await page.click('#class-add');
    await page.locator(`section.class-block[data-class-name="${name}"]`).waitFor();
  }
  // A duplicate class name is refused in words.
  await page.fill('#class-new', '四角');
  await page.click('#class-add');
  await page.locator('#data-message', { hasText: 'もうあります' }).waitFor();

  const coins = await drawPngs(page, 'coin', 12);
  const squares = await drawPngs(page, 'square', 12);
  const [coinInput, squareInput] = await page.locator('section.class-block input[id^=class-files-]').all();
  await coinInput.setInputFiles([...coins, { name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png') }]);
  await page.waitForFunction(() => document.querySelector('section.class-block[data-class-name="1円玉"] .count')?.dataset.count === '12');
  // The broken file is reported, the good ones are in.
  await page.locator('#import-report', { hasText: 'broken.png' }).waitFor();
  await squareInput.setInputFiles(squares);
  await page.waitForFunction(() => document.querySelector('section.class-block[data-class-name="四角"] .count')?.dataset.count === '12');
  assert.equal(await page.locator('section.class-block[data-class-name="1円玉"] .thumb img').count(), 12);

  // Everything survives a reload.
  await page.reload();
  await page.locator('#dataset-create:not([disabled])').waitFor();
  const id = await page.locator('#dataset-pick option', { hasText: '硬貨' }).getAttribute('value');
  await page.selectOption('#dataset-pick', id);
  await page.locator('section.class-block[data-class-name="四角"]').waitFor();
  assert.equal(await count(page, '1円玉'), 12);
  assert.equal(await count(page, '四角'), 12);
  assert.match(await page.textContent('#storage-usage'), /MB/);

  // Select two squares, move them to the coins, then move them back; delete one coin.
  const squareThumbs = page.locator('section.class-block[data-class-name="四角"] .thumb');
  await squareThumbs.nth(0).click();
  await squareThumbs.nth(1).click();
  assert.match(await page.textContent('#selected-count'), /2/);
  const coinClass = await page.locator('#move-target option', { hasText: '1円玉' }).getAttribute('value');
  await page.selectOption('#move-target', coinClass);
  await page.click('#move-selected');
  await page.waitForFunction(() => document.querySelector('section.class-block[data-class-name="1円玉"] .count')?.dataset.count === '14');
  assert.equal(await count(page, '四角'), 10);
  const coinThumbs = page.locator('section.class-block[data-class-name="1円玉"] .thumb');
  for (const i of [12, 13]) await coinThumbs.nth(i).click();
  const squareClass = await page.locator('#move-target option', { hasText: '四角' }).getAttribute('value');
  await page.selectOption('#move-target', squareClass);
  await page.click('#move-selected');
  await page.waitForFunction(() => document.querySelector('section.class-block[data-class-name="四角"] .count')?.dataset.count === '12');
  await coinThumbs.nth(0).click();
  await page.click('#delete-selected');
  await page.waitForFunction(() => document.querySelector('section.class-block[data-class-name="1円玉"] .count')?.dataset.count === '11');

  // The split the training lab will use: 7:3 stratified by default.
  await page.check('#show-split');
  await page.locator('#split-legend').waitFor();
  const val = await page.locator('.thumb .part-val').count();
  const train = await page.locator('.thumb .part-train').count();
  assert.equal(val + train, 23);
  assert.equal(val, 3 + 4); // round(11 × 0.3) + round(12 × 0.3)

  // Export as a zip with one folder per class.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-zip')]);
  const names = zipNames(readFileSync(await download.path()));
  assert.equal(names.length, 23);
  assert.equal(names.filter((n) => n.startsWith('1円玉/')).length, 11);
  assert.equal(names.filter((n) => n.startsWith('四角/')).length, 12);

  // Train on it: 32×32 colour, then the training lab learns the two shapes.
  await page.selectOption('#input-size', '32');
  await page.selectOption('#input-color', '3');
  await page.click('#use-dataset');
  // The choice takes the student to the training lab, which waits for the data to be ready.
  await page.waitForFunction(() => location.hash === '#/train');
  await page.locator('#train-data', { hasText: '硬貨 — 23 枚' }).waitFor({ timeout: 30_000 });
  await page.locator('#train-button:not([disabled])').waitFor();
  assert.match(await page.textContent('#data-in-use'), /硬貨/);
  await page.fill('#epochs', '8');
  await page.dispatchEvent('#epochs', 'change');
  await page.click('#train-button');
  await page.getByText('学習が終わりました').waitFor({ timeout: 180_000 });
  const heads = await page.locator('.confusion th[scope=col]').allTextContents();
  assert.ok(heads.some((h) => h.includes('1円玉')) && heads.some((h) => h.includes('四角')), heads.join(','));
  const acc = Number(await page.locator('#val-accuracy').getAttribute('data-value'));
  assert.ok(acc >= 0.85, `validation accuracy ${acc}`);
  await page.screenshot({ path: `${ARTIFACTS}/data-train.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a zip import: class folders, a test folder, and bad entries reported one by one', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  const { page, errors } = await openData(context);
  const coins = await drawPngs(page, 'coin', 5, { size: 300 });
  const squares = await drawPngs(page, 'square', 4);
  const good = readFileSync(`${root}www/data/digits.png`).subarray(0, 2000); // a truncated PNG
  const archive = zip([
    ...coins.map((f) => [`coins/500円/${f.name}`, f.buffer]),
    ...squares.map((f) => [`coins/square/${f.name}`, f.buffer]),
    ['coins/test/q.png', squares[0].buffer],
    ['coins/readme.txt', Buffer.from('hello')],
    ['coins/square/cut.png', good],
    ['../escape.png', coins[0].buffer],
    ['coins/500円/fake.jpg', Buffer.from('this is text')],
  ]);
  await page.setInputFiles('#import-zip', { name: 'coins.zip', mimeType: 'application/zip', buffer: archive });
  await page.locator('#import-report').waitFor({ timeout: 30_000 });
  const report = await page.textContent('#import-report');
  assert.match(report, /10 枚を取り込み/);
  for (const bad of ['readme.txt', 'cut.png', '../escape.png', 'fake.jpg', '画像として読めません', '危険なパス', '画像でもラベルファイルでもありません']) assert.ok(report.includes(bad), `${bad} reported: ${report}`);
  // A new dataset named after the zip, with the two classes and the unlabelled test image.
  assert.equal(await page.inputValue('#dataset-name'), 'coins');
  assert.equal(await count(page, '500円'), 5);
  assert.equal(await count(page, 'square'), 4);
  assert.equal(await page.locator('section.class-block[aria-label="ラベルなし（テスト用）"] .thumb').count(), 1);
  // Large photos are stored downscaled to 256 px.
  const w = await page.locator('section.class-block[data-class-name="500円"] .thumb img').first().getAttribute('width');
  assert.equal(w, '256');
  // The phone screen does not scroll sideways.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  await page.screenshot({ path: `${ARTIFACTS}/data-phone.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('hold to record: webcam frames go into the class', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  const { page, errors } = await openData(context);
  await page.fill('#dataset-new', 'camera');
  await page.click('#dataset-create');
  await page.fill('#class-new', 'ペン');
  await page.click('#class-add');
  await page.locator('section.class-block[data-class-name="ペン"]').waitFor();
  await page.selectOption('#burst-fps', '5');
  await page.click('#camera-toggle');
  const hold = page.locator('section.class-block[data-class-name="ペン"] button.hold');
  await hold.waitFor();
  await page.waitForFunction(() => document.querySelector('video.burst-video')?.videoWidth > 0);
  await hold.scrollIntoViewIfNeeded();
  const box = await hold.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // The page's clock is Playwright's fake one, paused: only runFor moves it, so a busy machine
  // cannot add or drop a frame. Held for 1.2 s at 5/s: one frame at the press, one per 200 ms.
  await page.clock.install();
  await page.clock.pauseAt(Date.now() + 60_000);
  await page.mouse.down();
  await page.clock.runFor(1200);
  await page.mouse.up();
  // Released: 600 ms more give no frame. Then time flows again, so that the frames captured
  // meanwhile get stored (the store takes turns with short timer waits).
  await page.clock.runFor(600);
  await page.clock.resume();
  await page.waitForFunction(() => document.querySelector('section.class-block[data-class-name="ペン"] .count')?.dataset.count === '7',
    null, { timeout: 30_000, polling: 100 }).catch(() => {});
  assert.equal(await count(page, 'ペン'), 7, 'frames in 1.2 s at 5/s: at the press and at 200, 400, …, 1200 ms');
  await page.waitForTimeout(500);
  assert.equal(await count(page, 'ペン'), 7, 'no frame after the release');
  await page.click('#camera-toggle');
  assert.deepEqual(errors, []);
  await context.close();
});

/** Noise JPEGs (they do not compress): `n` of `size`×`size`. */
async function noiseJpegs(page, n, size) {
  const b64 = await page.evaluate(async ({ n, size }) => {
    const out = [];
    const c = document.createElement('canvas');
    c.width = size; c.height = size;
    const g = c.getContext('2d');
    for (let i = 0; i < n; i++) {
      const img = g.createImageData(size, size);
      for (let k = 0; k < img.data.length; k++) img.data[k] = (k % 4 === 3) ? 255 : Math.random() * 256;
      g.putImageData(img, 0, 0);
      out.push(c.toDataURL('image/jpeg', 0.95).split(',')[1]);
    }
    return out;
  }, { n, size });
  return b64.map((s, i) => ({ name: `noise-${i}.jpg`, buffer: Buffer.from(s, 'base64') }));
}

test('a full storage quota stops an import in words and keeps what was stored', async () => {
  // IndexedDB alone against the quota: the service worker's copy of the app (tens of MB in a dev
  // build) would take the whole 1.5 MB before the first image.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', serviceWorkers: 'block' });
  const { page, errors } = await openData(context);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(server.url).origin, quotaSize: 1_500_000 });
  await page.fill('#dataset-new', 'quota');
  await page.click('#dataset-create');
  await page.fill('#class-new', 'a');
  await page.click('#class-add');
  await page.locator('section.class-block[data-class-name="a"]').waitFor();
  const first = await noiseJpegs(page, 3, 200);
  await page.locator('section.class-block input[id^=class-files-]').setInputFiles(first.map((f) => ({ ...f, mimeType: 'image/jpeg' })));
  await page.waitForFunction(() => document.querySelector('section.class-block .count')?.dataset.count === '3');
  // Far more than the quota: 120 noise photos of ~100 KB each.
  const many = await noiseJpegs(page, 120, 256);
  const archive = zip(many.map((f) => [`more/a/${f.name}`, f.buffer]));
  await page.setInputFiles('#import-zip', { name: 'more.zip', mimeType: 'application/zip', buffer: archive });
  await page.locator('#import-report').waitFor({ timeout: 60_000 });
  await page.locator('#data-message', { hasText: '保存容量がいっぱい' }).waitFor();
  assert.match(await page.textContent('#import-report'), /取り込みをここで止めました/);
  const kept = Number(await page.locator('section.class-block .count').getAttribute('data-count'));
  assert.ok(kept >= 3 && kept < 123, `${kept} images kept`);
  // After a reload the same images are there, every one readable.
  await page.reload();
  await page.locator('#dataset-create:not([disabled])').waitFor();
  await page.selectOption('#dataset-pick', await page.locator('#dataset-pick option', { hasText: 'quota' }).getAttribute('value'));
  await page.waitForFunction((k) => document.querySelector('section.class-block .count')?.dataset.count === String(k), kept);
  const broken = await page.locator('section.class-block .thumb img').evaluateAll(async (imgs) => {
    for (const i of imgs) i.loading = 'eager';
    await Promise.all(imgs.map((i) => (i.complete && i.naturalWidth ? null : new Promise((r) => { i.onload = r; i.onerror = r; }))));
    return imgs.filter((i) => !i.getAttribute('src') || i.naturalWidth === 0).length;
  });
  assert.equal(broken, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the competition layout: training images, a Shift_JIS label file and unlabelled test images', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  const { page, errors } = await openData(context);
  const coins = await drawPngs(page, 'coin', 3);
  const squares = await drawPngs(page, 'square', 3);
  // "ファイル名,ラベル" then rows, as Excel saves CSV on a Japanese PC (Shift_JIS, CRLF).
  // ファイル名,ラベル / coin-0.png,金貨 / coin-1.png,金貨 / square-0.png,四角 / square-1.png,四角 / missing.png,四角
  const sjis = Buffer.from('837483408343838B96BC2C83898378838B0D0A636F696E2D302E706E672C8BE089DD0D0A636F696E2D312E706E672C8BE089DD0D0A7371756172652D302E706E672C8E6C8A700D0A7371756172652D312E706E672C8E6C8A700D0A6D697373696E672E706E672C8E6C8A700D0A', 'hex');
  const archive = zip([
    ['train/coin-0.png', coins[0].buffer], ['train/coin-1.png', coins[1].buffer],
    ['train/square-0.png', squares[0].buffer], ['train/square-1.png', squares[1].buffer],
    ['train/extra.png', coins[2].buffer],
    ['test/t-0.png', squares[2].buffer],
    ['labels.csv', sjis],
  ]);
  await page.setInputFiles('#import-zip', { name: 'contest.zip', mimeType: 'application/zip', buffer: archive });
  await page.locator('#import-report').waitFor({ timeout: 30_000 });
  const report = await page.textContent('#import-report');
  assert.match(report, /Shift_JIS/);
  assert.match(report, /missing\.png/);
  assert.match(report, /extra\.png/);
  assert.equal(await count(page, '金貨'), 2);
  assert.equal(await count(page, '四角'), 2);
  assert.equal(await page.locator('section.class-block[aria-label="ラベルなし（テスト用）"] .thumb').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a folder picked with the folder picker keeps its class folders', async () => {
  const { mkdtempSync, mkdirSync: mk, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  const { page, errors } = await openData(context);
  const coins = await drawPngs(page, 'coin', 2);
  const squares = await drawPngs(page, 'square', 3);
  const dir = join(mkdtempSync(join(tmpdir(), 'imagelab-')), 'shapes');
  for (const [cls, files] of [['丸', coins], ['四角', squares]]) {
    mk(join(dir, cls), { recursive: true });
    for (const f of files) writeFileSync(join(dir, cls, f.name), f.buffer);
  }
  writeFileSync(join(dir, 'notes.md'), 'not an image');
  await page.setInputFiles('#import-folder', dir);
  await page.locator('#import-report').waitFor({ timeout: 30_000 });
  assert.equal(await page.inputValue('#dataset-name'), 'shapes');
  assert.equal(await count(page, '丸'), 2);
  assert.equal(await count(page, '四角'), 3);
  assert.match(await page.textContent('#import-report'), /notes\.md/);
  assert.deepEqual(errors, []);
  await context.close();
});
