// Every lab on a 390 px touch screen *after* a run, not only on load: no sideways overflow of the
// page or of any block, no text squeezed to one character per line, every control at least
// 24×24 CSS px (tests/e2e/layout.mjs), every control named in Chromium's accessibility tree. A screenshot of each view lands in tests/e2e/artifacts/.
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { useApp, server, browser } from './harness.mjs';
import { checkPhoneLayout, phoneContext, unnamedControls } from './layout.mjs';

const ARTIFACTS = fileURLToPath(new URL('./artifacts', import.meta.url));

useApp();

async function set(page, id, value) {
  await page.fill(`#${id}`, String(value));
  await page.locator(`#${id}`).dispatchEvent('change');
}

test('every lab holds its phone layout after a run', async () => {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Each view: its layout, and every control on it named in the accessibility tree.
  const check = async (name) => {
    await checkPhoneLayout(page, name, { artifacts: ARTIFACTS });
    const unnamed = await unnamedControls(page);
    if (unnamed.length) errors.push(`${name}: controls without an accessible name: ${unnamed.join(' | ')}`);
  };

  // A run on the built-in digits: curves, history, confusion matrix, mistakes, the inside view.
  await page.goto(`${server.url}#/train`);
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 120_000 });
  await check('train-before');
  await set(page, 'epochs', 1);
  await page.selectOption('#device', 'cpu');
  await page.locator('#train-button').tap();
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });
  await page.locator('#mistakes').waitFor({ timeout: 60_000 });
  // Open a confusion-matrix cell, as a student would.
  await page.locator('.confusion button.cell').nth(1).tap();
  await check('train');

  // The comparison lab with a fitted tree beside the network.
  await page.locator('nav.labs a[href="#/compare"]').tap();
  await page.locator('#cmp-fit:not([disabled])').waitFor({ timeout: 60_000 });
  await set(page, 'cmp-size', 8);
  await set(page, 'cmp-depth', 4);
  await page.locator('#cmp-fit').tap();
  await page.locator('#cmp-table tr.cmp-row').first().waitFor({ timeout: 120_000 });
  await check('compare');

  // The share lab with a scored competition.
  await page.locator('nav.labs a[href="#/share"]').tap();
  await page.locator('#share-url').waitFor();
  await page.setInputFiles('#score-truth', { name: 'truth.csv', mimeType: 'text/csv', buffer: Buffer.from('a.png,1\nb.png,2\n') });
  await page.locator('#score-truth-info').waitFor();
  await page.setInputFiles('#score-submissions', { name: 'とても長い名前の提出ファイル.csv', mimeType: 'text/csv', buffer: Buffer.from('a.png,1\nb.png,3\n') });
  await page.locator('#score-table tr.score-row').waitFor();
  await check('share');

  // The image lab with the sample photo and a pixel tapped: the readout follows the tap.
  await page.locator('nav.labs a[href="#/image"]').tap();
  await page.locator('#image-sample').tap();
  await page.locator('#image-original').waitFor();
  await page.locator('#image-original').tap({ position: { x: 20, y: 20 } });
  await page.locator('#pixel-readout', { hasText: 'R' }).waitFor();
  await check('image');

  for (const lab of ['augment', 'data', 'table', 'concepts', 'start']) {
    await page.locator(`nav.labs a[href="#/${lab}"]`).tap();
    await page.waitForTimeout(500);
    await check(lab);
  }
  if (errors.length) throw new Error(errors.join('\n'));
  await context.close();
});
