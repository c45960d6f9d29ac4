// The bad-input corpus (tests/bad-inputs/) through the page's own paths — the browser decodes
// here, not Rust — into a dataset that already holds photos, and model files into a lab that
// already has a model. Each input gets its message; what was there before stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useApp, server, browser } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = `${root}tests/bad-inputs/`;
const MIME = { zip: 'application/zip', png: 'image/png', jpg: 'image/jpeg' };
const file = (name) => ({ name, mimeType: MIME[name.split('.').pop()] ?? 'application/octet-stream', buffer: readFileSync(CORPUS + name) });

useApp();

const count = (page, name) => page.locator(`section.class-block[data-class-name="${name}"] .count`).getAttribute('data-count').then(Number);

/** Runs one import and gives the report: summary, skipped rows (path → reason), notes. Each
 *  import here gives a report unlike the one before it, so a new report is a changed one. */
async function importing(page, input, files) {
  const previous = await page.evaluate(() => document.querySelector('#import-report')?.outerHTML ?? '');
  await (typeof input === 'string' ? page.setInputFiles(input, files) : input.setInputFiles(files));
  await page.waitForFunction((p) => {
    const r = document.querySelector('#import-report');
    return r && r.outerHTML !== p;
  }, previous, { timeout: 60_000 });
  await page.locator('#dataset-create:not([disabled])').waitFor({ timeout: 60_000 });
  return page.evaluate(() => {
    const r = document.querySelector('#import-report');
    return {
      summary: r.querySelector('summary').textContent,
      skipped: Object.fromEntries([...r.querySelectorAll('table.skipped tr')].map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent])),
      notes: [...r.querySelectorAll('.notes li')].map((li) => li.textContent),
      stopped: r.querySelector('.error')?.textContent ?? null,
    };
  });
}

test('every bad image and zip gets its message, and the photos already stored stay', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?lang=en#/data`);
  await page.locator('#dataset-create:not([disabled])').waitFor();
  await page.fill('#dataset-new', 'existing');
  await page.click('#dataset-create');
  await page.fill('#class-new', 'photos');
  await page.click('#class-add');
  await page.locator('section.class-block[data-class-name="photos"]').waitFor();
  const photos = page.locator('section.class-block[data-class-name="photos"] input[id^=class-files-]');
  const first = await importing(page, photos, [file('good.png'), file('good-photo.jpg')]);
  assert.match(first.summary, /2 imported, 0 skipped/);
  const thumbs = async () => page.locator('section.class-block[data-class-name="photos"] .thumb img').evaluateAll((imgs) => imgs.map((i) => `${i.getAttribute('width')}x${i.getAttribute('height')}`));
  const before = await thumbs();

  const notImage = 'cannot be read as an image';
  const images = [
    ['truncated.png', notImage],
    ['truncated.jpg', 'the JPEG file is cut short'],
    ['empty.png', notImage],
    ['text-named.jpg', notImage],
    ['header-30000x30000.png', 'the file claims 30000×30000 pixels (900 megapixels; at most 100 are accepted)'],
    ['bomb-1bit-12000x9000.png', 'the file claims 12000×9000 pixels (108 megapixels; at most 100 are accepted)'],
  ];
  for (const [name, why] of images) {
    const r = await importing(page, photos, [file(name)]);
    assert.match(r.summary, /0 imported, 1 skipped/, `${name}: ${JSON.stringify(r)}`);
    assert.ok(Object.values(r.skipped)[0]?.includes(why), `${name}: ${JSON.stringify(r)}`);
    assert.equal(await count(page, 'photos'), 2, name);
  }
  // 36 megapixels of 16-bit RGBA is a real image: stored downscaled.
  const big = await importing(page, photos, [file('big-rgba16-6000x6000.png')]);
  assert.match(big.summary, /1 imported, 0 skipped/, JSON.stringify(big));
  assert.equal(await count(page, 'photos'), 3);

  // Zips go into the open dataset.
  const notZip = await importing(page, '#import-zip', file('not-a-zip.zip'));
  assert.ok(notZip.skipped['not-a-zip.zip']?.includes('not a readable zip file'), JSON.stringify(notZip));
  const nested = await importing(page, '#import-zip', file('nested-42-style.zip'));
  assert.match(nested.summary, /1 imported, 1 skipped/);
  assert.ok(nested.skipped['class/nested.zip']?.includes('not an image file'), JSON.stringify(nested));
  const huge = await importing(page, '#import-zip', file('huge-entry.zip'));
  assert.ok(huge.skipped['class/huge.png']?.includes('larger than 64 MB'), JSON.stringify(huge));
  const climb = await importing(page, '#import-zip', file('path-traversal.zip'));
  assert.deepEqual(Object.keys(climb.skipped).sort(), ['../evil.png', '/absolute.png', 'C:/windows.png', 'class/../../climb.png']);
  assert.ok(Object.values(climb.skipped).every((w) => w.includes('unsafe path')));
  assert.equal(await count(page, 'class'), 3);
  const unknown = await importing(page, '#import-zip', file('labels-unknown-files.zip'));
  assert.ok(unknown.skipped['ghost.png']?.includes('listed in the label file but no such image was found'), JSON.stringify(unknown));
  const dup = await importing(page, '#import-zip', file('labels-duplicates.zip'));
  assert.ok(dup.notes.some((n) => n.includes('was already labelled “red”; the first label is used')), JSON.stringify(dup));
  assert.ok(dup.skipped['more/a.png']?.includes('a file of the same name'), JSON.stringify(dup));
  const sjis = await importing(page, '#import-zip', file('labels-shift-jis.zip'));
  assert.ok(sjis.notes.some((n) => n.includes('read as Shift_JIS')), JSON.stringify(sjis));
  await page.locator('section.class-block[data-class-name="十円"]').waitFor();
  const bom = await importing(page, '#import-zip', file('labels-bom-crlf.zip'));
  assert.ok(bom.notes.some((n) => n.includes('read as UTF-8 (BOM)')), JSON.stringify(bom));
  await page.locator('section.class-block[data-class-name="赤"]').waitFor();

  // After a reload, the first photos are as they were.
  await page.reload();
  await page.locator('#dataset-create:not([disabled])').waitFor();
  await page.selectOption('#dataset-pick', await page.locator('#dataset-pick option', { hasText: 'existing' }).getAttribute('value'));
  await page.locator('section.class-block[data-class-name="photos"]').waitFor();
  assert.equal(await count(page, 'photos'), 3);
  assert.deepEqual((await thumbs()).slice(0, 2), before);
  const decoded = await page.locator('section.class-block[data-class-name="photos"] .thumb img').evaluateAll((imgs) =>
    Promise.all(imgs.map((i) => i.decode().then(() => i.naturalWidth, () => 0))));
  assert.ok(decoded.every((w) => w > 0), `every stored photo decodes: ${decoded}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('bad model files are refused in words and the loaded model stays', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}?lang=en#/train`);
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 30_000 });
  await page.setInputFiles('#load-model', file('model-good.bpk'));
  await page.locator('#model-loaded').waitFor({ timeout: 120_000 });
  const loaded = await page.getAttribute('#model-loaded', 'data-value');
  // A trained model (tests/bad-inputs/README.md): the page measures what it was saved with.
  assert.equal(loaded, '0.7183', 'model-good.bpk measures 862 / 1,200 on its validation digits');
  const cases = [
    ['model-other-input.bpk', 'This model takes 8×8×3 images; the current data is 28×28×1.'],
    ['model-truncated.bpk', 'not a burnpack file, or damaged'],
    ['model-nan.bpk', 'holds NaN or infinity (a broken model)'],
    ['model-forged.bpk', 'weight layers.0.weight is missing from the file: another architecture'],
    ['model-newer.bpk', 'file version 99 cannot be read (this ImageLab reads version 1)'],
    ['text-named.jpg', 'not a burnpack file, or damaged'],
  ];
  for (const [name, why] of cases) {
    await page.setInputFiles('#load-model', file(name));
    await page.waitForFunction((w) => document.querySelector('#notice[role="alert"]')?.textContent.includes(w), why, { timeout: 60_000 })
      .catch(async (e) => { throw new Error(`${name}: ${await page.textContent('#notice').catch(() => '(no notice)')} — ${e}`); });
    assert.equal(await page.getAttribute('#model-loaded', 'data-value'), loaded, `${name}: the loaded model stays`);
  }
  assert.equal(await page.locator('#train-button:not([disabled])').count(), 1);
  await context.close();
});
