// The comparison lab: classical models on the training lab's split, one table, the
// model-complexity chart, the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { useApp, server, browser } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${root}tests/e2e/artifacts`;
useApp();

async function set(page, id, value) {
  await page.fill(`#${id}`, String(value));
  await page.locator(`#${id}`).dispatchEvent('change');
}

test('classical models beside the network: table, complexity chart, tree', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // A network trained in the training lab joins the table too.
  await page.goto(`${server.url}?lang=ja#/train`);
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  await set(page, 'epochs', 1);
  await page.click('#train-button');
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });
  await page.click('nav.labs a[href="#/compare"]');
  await page.locator('#cmp-fit:not([disabled])').waitFor({ timeout: 60_000 });
  const nn = page.locator('#cmp-table tr.nn-row');
  assert.equal(await nn.count(), 1);
  assert.ok(Number(await nn.getAttribute('data-val')) > 0.8);
  assert.match(await nn.textContent(), /ニューラルネットワーク: .*28×28×1/);
  assert.match(await page.textContent('#compare-data'), /内蔵の手書き数字/);

  // A decision tree on 8×8 pixels.
  await set(page, 'cmp-size', 8);
  await set(page, 'cmp-depth', 8);
  await page.click('#cmp-fit');
  await page.locator('#cmp-table tr.cmp-row').first().waitFor({ timeout: 120_000 });
  assert.equal(await page.locator('#cmp-table tr.nn-row').count(), 1);
  const tree = page.locator('#cmp-table tr.cmp-row').nth(0);
  const [treeTrain, treeVal] = [Number(await tree.getAttribute('data-train')), Number(await tree.getAttribute('data-val'))];
  assert.ok(treeVal > 0.6 && treeTrain >= treeVal, `tree: train ${treeTrain}, val ${treeVal}`);
  // Its top levels, questions about pixels.
  await page.locator('#cmp-tree').waitFor();
  assert.match(await page.textContent('#cmp-tree'), /画素 \(x=\d+, y=\d+\) ≤/);
  assert.match(await page.textContent('#cmp-tree'), /samples = 2800/);
  // The feature vector of the first image as a picture.
  assert.equal(await page.getAttribute('#cmp-feature-view', 'data-dim'), '64');

  // k-NN and logistic regression join the table.
  await page.selectOption('#cmp-model', 'knn');
  await set(page, 'cmp-k', 3);
  await page.click('#cmp-fit');
  await page.waitForFunction(() => document.querySelectorAll('#cmp-table tr.cmp-row').length === 2, null, { timeout: 120_000 });
  await page.selectOption('#cmp-model', 'logistic');
  await page.click('#cmp-fit');
  await page.waitForFunction(() => document.querySelectorAll('#cmp-table tr.cmp-row').length === 3, null, { timeout: 120_000 });
  // A random forest of 20 trees beats the single tree.
  await page.selectOption('#cmp-model', 'forest');
  await set(page, 'cmp-trees', 20);
  await set(page, 'cmp-depth', '');
  await page.click('#cmp-fit');
  await page.waitForFunction(() => document.querySelectorAll('#cmp-table tr.cmp-row').length === 4, null, { timeout: 120_000 });
  const vals = await page.locator('#cmp-table tr.cmp-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.val)));
  assert.ok(vals[1] > 0.9, `k-NN ${vals[1]}`);
  assert.ok(vals[2] > 0.85, `logistic ${vals[2]}`);
  assert.ok(vals[3] > vals[0] + 0.05, `forest ${vals[3]} vs tree ${vals[0]}`);
  assert.match(await page.locator('#cmp-table tr.cmp-row').nth(3).textContent(), /ランダムフォレスト（木 20 本/);

  // HOG features, then the depth sweep: building accuracy reaches 100 %, validation peaks lower.
  await page.selectOption('#cmp-model', 'tree');
  await page.selectOption('#cmp-feature', 'hog');
  await set(page, 'cmp-cell', 7);
  await page.click('#cmp-sweep');
  await page.locator('#cmp-sweep-chart').waitFor({ timeout: 180_000 });
  assert.match(await page.textContent('#cmp-best'), /max_depth = \d+/);
  assert.equal(await page.locator('#cmp-sweep-chart path.train').count(), 1);
  // Another min_samples_leaf: both sweeps drawn together, the newer one listed first.
  await set(page, 'cmp-leaf', 20);
  await page.click('#cmp-sweep');
  await page.waitForFunction(() => document.querySelector('#cmp-sweep-chart')?.dataset.sweeps === '2', null, { timeout: 180_000 });
  assert.equal(await page.locator('#cmp-sweep-chart path.train').count(), 2);
  assert.match(await page.textContent('#cmp-best'), /min_samples_leaf = 20/);

  // A bad setting is refused in words.
  await set(page, 'cmp-leaf', 0);
  await page.click('#cmp-fit');
  await page.locator('#cmp-message', { hasText: 'min_samples_leaf' }).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/compare.png`, fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
