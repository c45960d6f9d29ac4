// Long-run memory benchmark (issue #10): in ONE tab, N training runs back to back on the built-in
// digits, then M minutes of live webcam prediction (Chromium's fake camera). After every run and
// every minute it samples the page's JS heap, the page's and the worker's wasm memory, and the
// renderer processes' resident memory, and prints them as a table with the growth from the first
// sample to the last. Not a test: it asserts nothing; it shows whether memory stays bounded.
//   node tests/bench/longrun.mjs                 (50 runs, 30 minutes; DIST=dist for the dev build)
//   RUNS=5 MINUTES=2 node tests/bench/longrun.mjs
import { fileURLToPath } from 'node:url';
import { writeFileSync, mkdirSync } from 'node:fs';
import { serve } from '../e2e/server.mjs';
import { rendererRssMb } from './memory.mjs';
import { launch } from '../e2e/browser.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DIST = process.env.DIST ?? `${root}dist-release`;
const RUNS = Number(process.env.RUNS ?? 50);
const MINUTES = Number(process.env.MINUTES ?? 30);
const EPOCHS = Number(process.env.EPOCHS ?? 1);

const server = await serve(DIST);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.grantPermissions(['camera']);
// The UI's wasm memory, from Trunk's start-up event.
await context.addInitScript(() => {
  addEventListener('TrunkApplicationStarted', (e) => { window.__uiMemory = e.detail.wasm.memory; });
});
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable');
page.on('pageerror', (e) => console.log('page error:', String(e)));
await page.goto(`${server.url}?lang=en#/train`);
await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
await page.fill('#epochs', String(EPOCHS));
await page.dispatchEvent('#epochs', 'change');

const MB = 1024 * 1024;
async function sample(label) {
  await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const uiWasm = await page.evaluate(() => window.__uiMemory?.buffer.byteLength ?? 0);
  let workerWasm = 0;
  for (const w of page.workers()) {
    workerWasm = Math.max(workerWasm, await w.evaluate(() => self.imagelabMemory?.buffer.byteLength ?? 0).catch(() => 0));
  }
  const row = {
    label,
    jsHeapMb: metrics.JSHeapUsedSize / MB,
    uiWasmMb: uiWasm / MB,
    workerWasmMb: workerWasm / MB,
    domNodes: metrics.Nodes,
    rendererRssMb: rendererRssMb(),
  };
  console.log(`${label.padEnd(14)} ${row.jsHeapMb.toFixed(1).padStart(9)} ${row.uiWasmMb.toFixed(1).padStart(9)} ${row.workerWasmMb.toFixed(1).padStart(12)} ${String(row.domNodes).padStart(9)} ${row.rendererRssMb.toFixed(0).padStart(12)}`);
  return row;
}

console.log(`Long run: ${RUNS} training runs of ${EPOCHS} epoch(s) on the digits, then ${MINUTES} min of live webcam prediction, one tab (${DIST})`);
console.log(`${'sample'.padEnd(14)} ${'JS heap'.padStart(9)} ${'UI wasm'.padStart(9)} ${'worker wasm'.padStart(12)} ${'DOM nodes'.padStart(9)} ${'renderer RSS'.padStart(12)}   (MB)`);
const rows = [await sample('start')];
const runMs = [];
for (let r = 1; r <= RUNS; r++) {
  const t0 = Date.now();
  await page.click('#train-button');
  await page.waitForFunction(
    // A run enters the history (its number in data-run) when it ends; the history keeps 50.
    (n) => Math.max(0, ...[...document.querySelectorAll('#history-table tbody tr')].map((tr) => Number(tr.dataset.run))) >= n
      && document.querySelector('#train-button:not([disabled])'),
    r, { timeout: 600_000, polling: 250 },
  );
  runMs.push(Date.now() - t0);
  if (r === 1 || r % 5 === 0) rows.push(await sample(`run ${r}`));
}
const afterRuns = rows.length - 1;

await page.click('#live-start');
await page.waitForFunction(() => Number(document.querySelector('#live-probabilities')?.dataset.count) >= 1, null, { timeout: 60_000 });
const liveStart = Date.now();
rows.push(await sample('live 0 min'));
const rates = [];
for (let m = 1; m <= MINUTES; m++) {
  await page.waitForTimeout(Math.max(0, liveStart + m * 60_000 - Date.now()));
  rates.push(Number(await page.getAttribute('#live-rate', 'data-rate').catch(() => 'NaN')));
  if (m === 1 || m % 5 === 0 || m === MINUTES) rows.push(await sample(`live ${m} min`));
}
const predictions = Number(await page.getAttribute('#live-probabilities', 'data-count'));
await page.click('#live-stop');

const diff = (a, b, k) => (b[k] - a[k]).toFixed(1);
const first = rows[1], last = rows[afterRuns], liveFirst = rows[afterRuns + 1], liveLast = rows[rows.length - 1];
console.log('');
console.log(`runs: median ${runMs.sort((a, b) => a - b)[runMs.length >> 1]} ms each; growth from run 1 to run ${RUNS}: JS heap ${diff(first, last, 'jsHeapMb')} MB, worker wasm ${diff(first, last, 'workerWasmMb')} MB, renderer RSS ${diff(first, last, 'rendererRssMb')} MB`);
console.log(`live: ${predictions} predictions in ${MINUTES} min (${(rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length)).toFixed(1)}/s on average); growth over the ${MINUTES} min: JS heap ${diff(liveFirst, liveLast, 'jsHeapMb')} MB, UI wasm ${diff(liveFirst, liveLast, 'uiWasmMb')} MB, worker wasm ${diff(liveFirst, liveLast, 'workerWasmMb')} MB, renderer RSS ${diff(liveFirst, liveLast, 'rendererRssMb')} MB`);
mkdirSync(`${root}tests/e2e/artifacts`, { recursive: true });
writeFileSync(`${root}tests/e2e/artifacts/longrun.json`, JSON.stringify({ runs: RUNS, minutes: MINUTES, runMs, rates, rows }, null, 1));
await browser.close();
await server.close();
