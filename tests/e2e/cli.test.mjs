// Model files travel between the native command line and the browser, both ways: a model the
// `imagelab` binary trained loads in the training lab and measures exactly what the binary
// printed; a model the page saved is measured by `imagelab evaluate` as the page measured it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { useApp, server, browser } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ARTIFACTS = `${root}tests/e2e/artifacts`;
// scripts/test.sh builds it (the native layer's `cargo test`, or `cargo test --no-run` of the same
// packages) before this layer runs.
const BIN = process.env.IMAGELAB_BIN ?? `${process.env.CARGO_TARGET_DIR ?? `${homedir()}/.cache/imagelab/target`}/debug/imagelab`;
before(() => {
  assert.ok(existsSync(BIN), `the command-line binary is built: ${BIN} (scripts/test.sh native)`);
  mkdirSync(ARTIFACTS, { recursive: true });
});
useApp();

const cli = (...args) => execFileSync(BIN, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

async function trainingLab() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ja-JP', acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${server.url}?lang=ja#/train`);
  await page.locator('#train-button:not([disabled])').waitFor({ timeout: 60_000 });
  return { page, context, errors };
}

test('a model trained by the command line loads in the browser with the same accuracy', async () => {
  const file = `${ARTIFACTS}/cli-model.bpk`;
  const out = cli('train', 'digits', '--epochs', '1', '--device', 'cpu', '--quiet', '--out', file);
  const cliVal = Number(out.match(/validation (\d\.\d+)/)[1]);
  assert.ok(cliVal > 0.8, out);
  const { page, context, errors } = await trainingLab();
  await page.setInputFiles('#load-model', file);
  await page.locator('#model-loaded').waitFor({ timeout: 120_000 });
  const browserVal = Number(await page.getAttribute('#model-loaded', 'data-value'));
  assert.ok(Math.abs(browserVal - cliVal) < 5e-5, `browser ${browserVal} vs command line ${cliVal}`);
  assert.match(await page.textContent('#model-loaded'), /28×28×1/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a model saved by the browser is measured by the command line as the page measured it', async () => {
  const { page, context, errors } = await trainingLab();
  await page.fill('#epochs', '1');
  await page.locator('#epochs').dispatchEvent('change');
  await page.click('#train-button');
  await page.getByText('学習が終わりました').waitFor({ timeout: 300_000 });
  const pageVal = Number(await page.getAttribute('#val-accuracy', 'data-value'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
  const file = `${ARTIFACTS}/browser-model.bpk`;
  await download.saveAs(file);
  assert.deepEqual(errors, []);
  await context.close();
  const out = cli('evaluate', file, 'digits');
  const cliVal = Number(out.match(/validation (\d\.\d+)/)[1]);
  assert.ok(Math.abs(cliVal - pageVal) < 5e-5, `command line ${cliVal} vs page ${pageVal}`);
});
