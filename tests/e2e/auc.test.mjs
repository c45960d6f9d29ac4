// The ROC curve and AUC of a two-class image model (issue #20): a dataset of two drawn shapes,
// trained with a softmax output (hold-out) and a sigmoid output (K-fold); the training lab shows
// the curve and AUC, the report carries them, the comparison table has an AUC column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { useApp, server, browser } from './harness.mjs';
import { drawPngs, openData } from './datalab.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${root}tests/e2e/artifacts`;

useApp();

/** The curve a path draws, from its `d` (the chart writes it in FPR/TPR units). */
function curveOf(d) {
  return d.trim().split(/\s*[ML]\s*/).filter(Boolean).map((p) => p.split(/[\s,]+/).map(Number));
}

/** Trapezoids under a curve. */
function area(curve) {
  let a = 0;
  for (let i = 1; i < curve.length; i++) a += (curve[i][0] - curve[i - 1][0]) * (curve[i][1] + curve[i - 1][1]) / 2;
  return a;
}

/** Whether (x, y) lies on the polyline (within `eps`). */
function onCurve(curve, [x, y], eps = 2e-3) {
  for (let i = 1; i < curve.length; i++) {
    const [[x0, y0], [x1, y1]] = [curve[i - 1], curve[i]];
    if (x < Math.min(x0, x1) - eps || x > Math.max(x0, x1) + eps || y < Math.min(y0, y1) - eps || y > Math.max(y0, y1) + eps) continue;
    const cross = (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0);
    if (Math.abs(cross) <= eps * Math.hypot(x1 - x0, y1 - y0) + 1e-12) return true;
  }
  return false;
}

async function checkCurve(page, selector) {
  const d = await page.getAttribute(selector, 'd');
  const curve = curveOf(d);
  assert.deepEqual(curve[0], [0, 0], d);
  assert.deepEqual(curve.at(-1), [1, 1], d);
  for (let i = 1; i < curve.length; i++) {
    assert.ok(curve[i][0] >= curve[i - 1][0] && curve[i][1] >= curve[i - 1][1], `the curve only rises: ${d}`);
  }
  return curve;
}

test('two classes: ROC curve and AUC in the training lab, the report and the comparison table', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
  const { page, errors } = await openData(context);
  await page.fill('#dataset-new', '形');
  await page.click('#dataset-create');
  await page.locator('#dataset-name').waitFor();
  for (const name of ['丸', '四角']) {
    await page.fill('#class-new', name);
    await page.click('#class-add');
    await page.locator(`section.class-block[data-class-name="${name}"]`).waitFor();
  }
  const [discInput, squareInput] = await page.locator('section.class-block input[id^=class-files-]').all();
  await discInput.setInputFiles(await drawPngs(page, 'coin', 20, { size: 64, base: 0.2, dx: 5 }));
  await page.waitForFunction(() => document.querySelector('section.class-block[data-class-name="丸"] .count')?.dataset.count === '20');
  await squareInput.setInputFiles(await drawPngs(page, 'square', 20, { size: 64, base: 0.2, dx: 5 }));
  await page.waitForFunction(() => document.querySelector('section.class-block[data-class-name="四角"] .count')?.dataset.count === '20');
  await page.selectOption('#input-size', '32');
  await page.selectOption('#input-color', '3');
  await page.click('#use-dataset');
  await page.waitForFunction(() => location.hash === '#/train');
  await page.locator('#train-data', { hasText: '形 — 40 枚' }).waitFor({ timeout: 30_000 });
  await page.locator('#train-button:not([disabled])').waitFor();
  // The lab proposes epochs for a small dataset; keep it unless it is very short.
  const proposed = Number(await page.inputValue('#epochs'));
  assert.ok(proposed >= 1, `epochs ${proposed}`);
  if (proposed < 10) {
    await page.fill('#epochs', '10');
    await page.dispatchEvent('#epochs', 'change');
  }

  // Hold-out, softmax output (two units).
  await page.click('#train-button');
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });
  await page.locator('#auc').waitFor();
  const auc = Number(await page.getAttribute('#auc', 'data-value'));
  assert.ok(auc >= 0 && auc <= 1, `AUC ${auc}`);
  assert.ok(auc > 0.8, `easy shapes: AUC ${auc}`);
  assert.match(await page.textContent('#auc'), /AUC = \d\.\d{3}$/);
  assert.equal(await page.getAttribute('#roc-chart', 'role'), 'img');
  assert.equal(await page.locator('#roc-chart path.roc-curve').count(), 1);
  assert.equal(await page.locator('#roc-chart path.chance').count(), 1);
  assert.equal(await page.locator('#fold-auc').count(), 0, 'hold-out: no fold table');
  assert.match(await page.textContent('.roc-figure'), /陽性のクラス: 四角/);
  // The AUC is the area under the drawn curve, and the curve passes through the point of the
  // confusion matrix (the threshold 0.5): false positives / negatives, true positives / positives.
  const curve = await checkCurve(page, '#roc-chart path.roc-curve');
  assert.ok(Math.abs(area(curve) - auc) < 2e-3, `area ${area(curve)} vs AUC ${auc}`);
  const [tn, fp, fn, tp] = (await page.locator('.confusion td').allTextContents()).map(Number);
  const point = [fp / (tn + fp), tp / (fn + tp)];
  assert.ok(onCurve(curve, point), `confusion point ${point} on ${JSON.stringify(curve)}`);

  // The report carries the AUC and the curve.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report')]);
  const report = (await (await download.createReadStream()).toArray()).join('');
  assert.match(report, new RegExp(`id="report-auc" data-value="${auc.toFixed(4)}"`));
  assert.match(report, /ROC曲線と AUC/);
  assert.equal((report.match(/class="roc-curve"/g) ?? []).length, 1);
  assert.ok(!/<script/i.test(report));

  // The comparison table: the network's AUC, and k-NN's from its neighbours' votes.
  await page.click('nav.labs a[href="#/compare"]');
  await page.locator('#cmp-fit:not([disabled])').waitFor({ timeout: 60_000 });
  await page.locator('#cmp-table th.auc-col').waitFor();
  assert.equal(Number(await page.getAttribute('#cmp-table tr.nn-row', 'data-auc')), auc);
  await page.selectOption('#cmp-model', 'knn');
  await page.click('#cmp-fit');
  await page.locator('#cmp-table tr.cmp-row').first().waitFor({ timeout: 120_000 });
  const knnText = await page.getAttribute('#cmp-table tr.cmp-row', 'data-auc');
  const knnAuc = Number(knnText);
  assert.ok(knnText !== '' && knnAuc >= 0 && knnAuc <= 1, `k-NN AUC ${knnText}`);
  assert.match(await page.locator('#cmp-table tr.cmp-row td.auc-col').textContent(), /^\d\.\d{3}$/);

  // K-fold, sigmoid output (one unit): each fold's curve and AUC, and their mean ± sd.
  await page.click('nav.labs a[href="#/train"]');
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  await page.selectOption('#model-output', 'sigmoid');
  await page.selectOption('#validation', 'kfold');
  await page.locator('#folds').waitFor();
  await page.click('#train-button');
  // (The ROC goes while a run is under way and comes back with its folds.)
  await page.waitForFunction(() => document.querySelector('#auc')?.dataset.folds === '3', null, { timeout: 300_000 });
  const rows = await page.locator('#fold-auc tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.auc));
  assert.equal(rows.length, 3);
  const folds = rows.filter((v) => v !== '').map(Number);
  assert.ok(folds.length >= 1 && folds.every((v) => v >= 0 && v <= 1), rows.join(','));
  const mean = folds.reduce((a, b) => a + b, 0) / folds.length;
  const sd = Math.sqrt(folds.reduce((a, b) => a + (b - mean) ** 2, 0) / folds.length);
  assert.ok(Math.abs(Number(await page.getAttribute('#auc', 'data-value')) - mean) < 1e-3, `mean ${mean}`);
  assert.ok(Math.abs(Number(await page.getAttribute('#auc', 'data-sd')) - sd) < 1e-3, `sd ${sd}`);
  assert.match(await page.textContent('#auc'), /AUC = \d\.\d{3} ± \d\.\d{3}/);
  for (const [f, value] of rows.entries()) {
    if (value === '') continue;
    const c = await checkCurve(page, `#roc-chart path.roc-curve[data-fold="${f}"]`);
    assert.ok(Math.abs(area(c) - Number(value)) < 2e-3, `fold ${f + 1}: area ${area(c)} vs ${value}`);
  }
  assert.ok(mean > 0.7, `K-fold mean AUC ${mean}`);
  await page.screenshot({ path: `${ARTIFACTS}/auc.png`, fullPage: true });

  // A phone: the chart fits the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#roc-chart').scrollIntoViewIfNeeded();
  const box = await page.locator('#roc-chart').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `chart ${JSON.stringify(box)}`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  assert.deepEqual(errors, []);
  await context.close();
});
