// The concepts lab (しくみ): a neuron's numbers follow its sliders, the activation charts and
// softmax render, and gradient descent paths answer to the learning rate and the optimizer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { useApp, server, browser } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${root}tests/e2e/artifacts`;
useApp();

async function slide(page, id, value) {
  await page.locator(`#${id}`).fill(String(value));
}

const rows = (page) => page.$$eval('#gd-table tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.optimizer, {
  x: Number(tr.dataset.x), y: Number(tr.dataset.y), loss: Number(tr.dataset.loss), diverged: tr.dataset.diverged === 'true',
}])));

test('the concepts lab: a neuron, activations, softmax and optimizers racing down a loss surface', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?lang=ja#/concepts`);
  await page.locator('#concepts-heading').waitFor({ timeout: 60_000 });

  // The neuron: z = Σ w·x + b, y = f(z).
  for (const [id, v] of [['x1', 1], ['x2', 0], ['x3', 0], ['w1', 2], ['bias', -0.5]]) await slide(page, id, v);
  await page.selectOption('#neuron-activation', 'relu');
  await page.waitForFunction(() => document.querySelector('#neuron-y').dataset.value === '1.5000');
  assert.equal(await page.getAttribute('#neuron-z', 'data-value'), '1.5000');
  await page.selectOption('#neuron-activation', 'step');
  await page.waitForFunction(() => document.querySelector('#neuron-y').dataset.value === '1.0000');

  // Six activation charts; softmax sums to one and follows the scores.
  assert.equal(await page.locator('.act-chart').count(), 6);
  await slide(page, 'score3', 4);
  const probs = await page.$$eval('#softmax-bars li', (lis) => lis.map((li) => Number(li.dataset.value)));
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-3 && probs[2] > 0.8, `${probs}`);

  // Forward and backward propagation: every number, from the worker's autodiff; the loss falls.
  await page.selectOption('#bp-loss', 'bce');
  await page.click('#bp-step');
  await page.waitForFunction(() => document.querySelector('#bp-steps')?.dataset.value === '1', null, { timeout: 120_000 });
  const first = Number(await page.getAttribute('#bp-loss-value', 'data-value'));
  assert.equal(await page.locator('#bp-grads tbody tr').count(), 6 + 3 + 6 + 2, 'every weight and bias');
  const [w, g, after] = await page.$$eval('#bp-grads tbody tr:first-child td', (tds) => tds.map((td) => Number(td.textContent)));
  assert.ok(Math.abs(after - (w - 0.5 * g)) < 2e-4, `w − lr·g: ${w} − 0.5·${g} = ${after}`);
  for (let i = 2; i <= 5; i++) {
    await page.click('#bp-step');
    await page.waitForFunction((n) => document.querySelector('#bp-steps')?.dataset.value === String(n), i, { timeout: 30_000 });
  }
  const fifth = Number(await page.getAttribute('#bp-loss-value', 'data-value'));
  assert.ok(fifth < first, `the loss fell from ${first} to ${fifth}`);
  await page.click('#bp-reset');
  assert.equal(await page.getAttribute('#bp-steps', 'data-value'), '0');

  // Gradient descent on the local/global minimum surface: SGD stops in the local dip, momentum
  // rolls on to the global one.
  let r = await rows(page);
  assert.equal(Object.keys(r).length, 5);
  assert.ok(Math.abs(r.sgd.x - 1.35) < 0.1, `SGD at ${r.sgd.x}`);
  assert.ok(Math.abs(r.momentum.x + 1.47) < 0.1, `momentum at ${r.momentum.x}`);
  assert.equal(await page.locator('#gd-paths polyline').count(), 5);
  // A too-large learning rate on the bowl diverges; the path changes with the rate.
  await page.selectOption('#gd-surface', 'bowl');
  const before = await page.getAttribute('#gd-paths polyline[data-optimizer="sgd"]', 'points');
  await page.fill('#gd-lr', '1.2');
  await page.locator('#gd-lr').dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('#gd-table tr[data-optimizer="sgd"]')?.dataset.diverged === 'true');
  assert.match(await page.textContent('#gd-table tr[data-optimizer="sgd"]'), /発散/);
  assert.notEqual(await page.getAttribute('#gd-paths polyline[data-optimizer="sgd"]', 'points'), before);
  await page.fill('#gd-lr', '0.1');
  await page.locator('#gd-lr').dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('#gd-table tr[data-optimizer="sgd"]')?.dataset.diverged === 'false');
  r = await rows(page);
  assert.ok(r.sgd.loss < 1e-6, `SGD on the bowl ends at loss ${r.sgd.loss}`);
  // Only the chosen racers run.
  await page.uncheck('#race-adam');
  assert.equal(await page.locator('#gd-paths polyline').count(), 4);
  await page.screenshot({ path: `${ARTIFACTS}/concepts.png`, fullPage: true });

  // Mini-batch sizes on digits 0 vs 1: one sample at a time makes many noisy steps, the full
  // batch few smooth ones.
  await page.locator('#mb-table tbody tr').nth(2).waitFor({ timeout: 60_000 });
  const mb = await page.$$eval('#mb-table tbody tr', (trs) => trs.map((tr) => ({
    batch: Number(tr.dataset.batch), steps: Number(tr.dataset.steps), loss: Number(tr.dataset.loss), rises: Number(tr.dataset.rises),
  })));
  assert.deepEqual(mb.map((r) => [r.batch, r.steps]), [[1, 1000], [16, 65], [200, 5]]);
  assert.equal(mb[2].rises, 0, 'the full batch never goes up');
  assert.ok(mb[0].rises > 10, `one at a time is noisy: ${mb[0].rises} rises`);
  assert.ok(mb[0].loss < mb[2].loss, 'in the same epochs, many small steps get further');
  await page.fill('#mb-epochs', '2');
  await page.locator('#mb-epochs').dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('#mb-table tr[data-batch="200"]')?.dataset.steps === '2');
  assert.equal(await page.locator('#mb-chart polyline').count(), 3);

  // "Try this learning rate": the training lab opens with it — and with the optimizer when only
  // one races.
  await page.click('#gd-try');
  await page.locator('#train-button').waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await page.inputValue('#lr'), '0.1');
  assert.equal(await page.inputValue('#optimizer'), 'adam', 'several racers: the optimizer stays');
  await page.click('nav.labs a[href="#/concepts"]');
  for (const o of ['sgd', 'nesterov', 'rmsprop', 'adam']) await page.uncheck(`#race-${o}`);
  await page.click('#gd-try');
  await page.locator('#train-button').waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await page.inputValue('#optimizer'), 'momentum');
  // The mini-batch view's link sets the batch size; the activation's sets every layer's.
  await page.click('nav.labs a[href="#/concepts"]');
  await page.click('#mb-try');
  await page.locator('#train-button').waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await page.inputValue('#batch'), '16');
  await page.click('nav.labs a[href="#/concepts"]');
  await page.selectOption('#neuron-activation', 'tanh');
  await page.click('#act-try');
  await page.locator('#train-button').waitFor({ state: 'visible', timeout: 30_000 });
  const acts = await page.$$eval('select[id^="layer-"][id$="-activation"]', (sels) => sels.map((s) => s.value));
  assert.ok(acts.length >= 1 && acts.every((a) => a === 'tanh'), `layer activations ${acts}`);
  assert.deepEqual(errors, []);
  await context.close();
});
