// The share lab: an experiment link restores the same settings in a fresh page; damaged,
// tampered and script-bearing links fall back to the defaults with a message; the teacher scores
// submission files into a ranked table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { useApp, server, browser } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${root}tests/e2e/artifacts`;
useApp();

async function open(url, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: 'ja-JP' });
  const page = await context.newPage();
  const errors = [];
  const dialogs = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.goto(url);
  return { page, context, errors, dialogs };
}

async function set(page, id, value) {
  await page.fill(`#${id}`, String(value));
  await page.locator(`#${id}`).dispatchEvent('change');
}

const settings = (page) => page.evaluate(() => {
  const v = (id) => document.getElementById(id)?.value;
  return {
    epochs: v('epochs'), batch: v('batch'), lr: v('lr'), optimizer: v('optimizer'), validation: v('validation'),
    folds: v('folds'), seed: v('seed'), weightDecay: v('weight-decay'), preset: v('model-preset'),
  };
});

test('a shared link opens the same experiment, in its language, with a QR code', async () => {
  const { page, context, errors } = await open(`${server.url}?lang=en#/train`);
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  await page.selectOption('#model-preset', 'mlp');
  await set(page, 'epochs', 7);
  await set(page, 'batch', 32);
  await set(page, 'lr', 0.01);
  await page.selectOption('#optimizer', 'rmsprop');
  await page.selectOption('#validation', 'kfold');
  await set(page, 'folds', 4);
  await set(page, 'seed', 1234);
  await set(page, 'weight-decay', 0.001);
  const before = await settings(page);
  // The augmentation lab's pipeline travels too: clear it and add one step.
  await page.click('nav.labs a[href="#/augment"]');
  await page.click('#aug-clear');
  await page.click('#aug-add');
  const steps = await page.locator('#aug-steps > li').count();
  assert.equal(steps, 1);

  await page.click('nav.labs a[href="#/share"]');
  const plain = await page.inputValue('#share-url');
  await page.fill('#share-model-file', 'coins <b>v2</b>.bpk');
  await page.waitForFunction((old) => document.getElementById('share-url').value !== old, plain);
  const url = await page.inputValue('#share-url');
  assert.match(url, /#\/train\?e=4\.[A-Za-z0-9_-]+$/);
  assert.ok(url.length < 400, `${url.length} characters`);
  const modules = Number(await page.getAttribute('#share-qr', 'data-modules'));
  assert.ok(modules >= 21 && modules <= 177, `QR of ${modules} modules`);
  assert.match(await page.textContent('#share-summary'), /rmsprop, lr 0\.01, 7 epochs, batch 32/);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.click('#share-copy');
  await page.getByText('Copied').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  await page.screenshot({ path: `${ARTIFACTS}/share.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();

  // A classmate opens it (a Japanese browser): English, the training lab, the same settings.
  const friend = await open(url, { width: 390, height: 844 });
  await friend.page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  assert.equal(await friend.page.getAttribute('html', 'lang'), 'en');
  assert.deepEqual(await settings(friend.page), before);
  const notice = await friend.page.textContent('#link-notice');
  assert.match(notice, /settings are loaded/);
  assert.match(notice, /coins <b>v2<\/b>\.bpk/, 'the file name is shown as text, not markup');
  assert.equal(await friend.page.locator('#link-notice b').count(), 0);
  assert.match(friend.page.url(), /#\/train$/, 'the settings moved into the page; the address is plain again');
  await friend.page.click('nav.labs a[href="#/augment"]');
  assert.equal(await friend.page.locator('#aug-steps > li').count(), 1);
  assert.equal(await friend.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  assert.deepEqual(friend.errors, []);
  await friend.context.close();

  // Pasted into a tab that is already open: applied the same way.
  const open2 = await open(`${server.url}?lang=ja#/data`);
  // (The data lab does not load the built-in digits: wait for the lab itself.)
  await open2.page.locator('#dataset-create:not([disabled])').waitFor({ timeout: 60_000 });
  assert.equal(await open2.page.inputValue('#epochs'), '6');
  await open2.page.evaluate((h) => { location.hash = h; }, new URL(url).hash);
  await open2.page.locator('#link-notice[role="status"]').waitFor();
  assert.deepEqual(await settings(open2.page), before);
  assert.match(open2.page.url(), /#\/train$/);
  await open2.context.close();
});

test('damaged, tampered and script-bearing links start from the defaults with a message', async () => {
  const valid = '1.Yy0pSszMY2Bgc_hVl7WnZHKGPbMWgzEYXLZnYYACNgYOZkYGZkYmBgEIzcziwAyWYWFiYChwPHvGx565_9BXWxCDZdbMSHtj48n2QGl7dq7ri21AMsbGwQ4Ms2bOtANrAwA';
  // Each with its own machine-readable reason (share::LinkProblem), not only some message.
  const cases = [
    ['truncated', valid.slice(0, 60), 'damaged'],
    ['not base64', '1.%%%***', 'damaged'],
    ['script', encodeURIComponent('1.<script>alert(1)</script>'), 'damaged'],
    ['markup', '<img src=x onerror=alert(2)>', 'damaged'],
    ['newer version', '9.abcd', 'newer'],
    ['unknown version', 'x.abcd', 'unknown-format'],
    ['huge', `1.${'A'.repeat(20000)}`, 'too-long'],
  ];
  for (const [what, value, reason] of cases) {
    const { page, context, errors, dialogs } = await open(`${server.url}?lang=ja#/train?e=${value}`);
    await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
    const notice = page.locator('#link-notice[role="alert"]');
    await notice.waitFor({ timeout: 10_000 });
    assert.match(await notice.textContent(), /リンクを読めませんでした/, what);
    assert.equal(await notice.getAttribute('data-reason'), reason, what);
    assert.equal(await page.inputValue('#epochs'), '6', `${what}: default epochs`);
    assert.equal(await page.locator('img[src="x"]').count(), 0, what);
    assert.equal(await page.evaluate(() => [...document.scripts].filter((s) => s.textContent.includes('alert(')).length), 0, what);
    assert.deepEqual(dialogs, [], what);
    assert.deepEqual(errors, [], what);
    await page.click('#link-notice-close');
    assert.equal(await page.locator('#link-notice').count(), 0);
    await context.close();
  }
  // The default experiment's v1 link (as written by imagelab-core/tests/data/share_v1.txt) opens.
  const { page, context } = await open(`${server.url}#/train?e=${valid}`);
  await page.locator('#link-notice[role="status"]').waitFor({ timeout: 60_000 });
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  await context.close();
});

test('the teacher scores submissions into a ranked table', async () => {
  const { page, context, errors } = await open(`${server.url}?lang=ja#/share`);
  await page.locator('#score-truth').waitFor();
  assert.ok(await page.locator('#score-submissions').isDisabled(), 'submissions wait for the true labels');
  // True labels in Shift_JIS with a header, as Excel on a Japanese PC saves them.
  const sjis = Buffer.from([
    0x83, 0x74, 0x83, 0x40, 0x83, 0x43, 0x83, 0x8b, 0x96, 0xbc, 0x2c, 0x83, 0x89, 0x83, 0x78, 0x83, 0x8b, 0x0a, // ファイル名,ラベル
    ...Buffer.from('a.jpg,10\nb.jpg,100\nc.jpg,10\nd.jpg,500\n'),
  ]);
  await page.setInputFiles('#score-truth', { name: 'truth.csv', mimeType: 'text/csv', buffer: sjis });
  await page.locator('#score-truth-info').waitFor();
  assert.match(await page.textContent('#score-truth-info'), /4 枚の正解 \(Shift_JIS\)/);
  await page.setInputFiles('#score-submissions', [
    { name: 'hana.csv', mimeType: 'text/csv', buffer: Buffer.from('file,label\na.jpg,10\nb.jpg,100\nc.jpg,10\nd.jpg,100\n') },
    { name: 'taro.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from('a\t10\nb\t100\nc\t10\nd\t500\n') },
    { name: 'ken.csv', mimeType: 'text/csv', buffer: Buffer.from('a.jpg,10\nzzz.jpg,10\n') },
    { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('\n\n') },
  ]);
  await page.locator('#score-table tr.score-row').nth(2).waitFor();
  const rows = await page.$$eval('#score-table tr.score-row', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows, [
    ['1', 'taro', '100.0 %', '4/4', '0', '0'],
    ['2', 'hana', '75.0 %', '3/4', '0', '0'],
    ['3', 'ken', '25.0 %', '1/4', '3', '1'],
  ]);
  assert.match(await page.textContent('.score-failed'), /broken\.csv/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a student predicts a test set into a submission file, and the teacher scores it', async () => {
  const { page, context, errors } = await open(`${server.url}?lang=ja#/train`);
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  // Twenty test images cut from the built-in digits as PNG files, with their true labels.
  const images = await page.evaluate(async () => {
    const sprite = await createImageBitmap(await (await fetch('data/digits.png')).blob());
    const labels = new Uint8Array(await (await fetch('data/digits.labels')).arrayBuffer());
    const out = [];
    for (let n = 3000; n < 3020; n++) {
      const c = document.createElement('canvas');
      c.width = 28; c.height = 28;
      c.getContext('2d').drawImage(sprite, (n % 50) * 28, Math.floor(n / 50) * 28, 28, 28, 0, 0, 28, 28);
      out.push({ name: `test_${n}.png`, data: c.toDataURL('image/png').split(',')[1], label: String(labels[n]) });
    }
    return out;
  });
  const files = images.map((i) => ({ name: i.name, mimeType: 'image/png', buffer: Buffer.from(i.data, 'base64') }));
  files.push({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') });
  await page.click('#submission summary');
  assert.ok(await page.locator('#submit-files').isDisabled(), 'no model yet');
  await page.fill('#epochs', '2');
  await page.locator('#epochs').dispatchEvent('change');
  await page.click('#train-button');
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });

  // The report of the run: one self-contained HTML file.
  const pageVal = await page.getAttribute('#val-accuracy', 'data-value');
  const [reportDownload] = await Promise.all([page.waitForEvent('download'), page.click('#report')]);
  assert.equal(reportDownload.suggestedFilename(), 'imagelab-report.html');
  const report = (await (await reportDownload.createReadStream()).toArray()).join('');
  assert.match(report, new RegExp(`id="report-val" data-value="${pageVal}"`));
  assert.equal((report.match(/<svg/g) ?? []).length, 2, 'both learning curves');
  assert.equal((report.match(/data-series="train(-run0)? val(-run0)?"/g) ?? []).length, 2, 'training and validation curve in each');
  assert.ok((report.match(/<polyline/g) ?? []).length >= 4, 'the lines, as plotters drew them');
  assert.equal((report.match(/<tr><th scope="row">/g) ?? []).length, 9 + 10 + 10, 'settings, confusion rows, classes');
  assert.ok((report.match(/<img src="data:image\/png;base64,/g) ?? []).length >= 1, 'the surest mistakes');
  assert.ok(!/<script/i.test(report));
  assert.match(report, /#\/train\?e=4\./, 'the experiment link');
  // It opens on its own, offline: nothing outside it is needed.
  const reportPage = await context.newPage();
  const outside = [];
  reportPage.on('request', (r) => { if (!r.url().startsWith('data:')) outside.push(r.url()); });
  await reportPage.setContent(report);
  assert.equal(await reportPage.locator('#report-confusion tr').count(), 11);
  assert.deepEqual(outside, []);
  await reportPage.close();

  const [download] = await Promise.all([page.waitForEvent('download'), page.setInputFiles('#submit-files', files)]);
  assert.equal(download.suggestedFilename(), 'submission.csv');
  const csv = (await (await download.createReadStream()).toArray()).join('');
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'file,label');
  assert.equal(lines.length, 21, 'the broken file is left out');
  const predicted = Object.fromEntries(lines.slice(1).map((l) => l.split(',')));
  const correct = images.filter((i) => predicted[i.name] === i.label).length;
  assert.ok(correct >= 15, `${correct}/20 right`);
  await page.locator('#submit-message').waitFor();
  assert.match(await page.textContent('#submit-message'), /20 枚の予測.*notes\.png/);

  // TSV without a header; a second file of a name already chosen (another folder's) is left
  // out in words: a submission tells files apart by name alone.
  await page.selectOption('#submit-format', 'tsv');
  await page.uncheck('#submit-header');
  const again = { ...files[1], name: files[0].name };
  const [tsvDownload] = await Promise.all([page.waitForEvent('download'), page.setInputFiles('#submit-files', [...files.slice(0, 3), again])]);
  assert.equal(tsvDownload.suggestedFilename(), 'submission.tsv');
  const tsv = (await (await tsvDownload.createReadStream()).toArray()).join('');
  assert.match(tsv, /^test_3000\.png\t\d\ntest_3001\.png\t\d\ntest_3002\.png\t\d\n$/);
  assert.match(await page.textContent('#submit-message'), /^3 枚の予測.*同じ名前のファイル test_3000\.png が先にあります/);

  // The teacher's side, in the same page: the true labels and the submission → its accuracy.
  await page.click('nav.labs a[href="#/share"]');
  const truth = images.map((i) => `${i.name},${i.label}`).join('\n');
  await page.setInputFiles('#score-truth', { name: 'truth.csv', mimeType: 'text/csv', buffer: Buffer.from(truth) });
  await page.locator('#score-truth-info').waitFor();
  await page.setInputFiles('#score-submissions', { name: 'me.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.locator('#score-table tr.score-row').waitFor();
  assert.equal(Number(await page.getAttribute('#score-table tr.score-row', 'data-accuracy')), correct / 20);
  assert.deepEqual(errors, []);
  await context.close();
});
