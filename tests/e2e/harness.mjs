// What every end-to-end test file needs: the built app (dist/, or DIST=…) served on a free port
// and a headless Chromium. `useApp()` registers the file's `before` and `after` hooks; `server` and
// `browser` are live bindings, set once `before` has run. (node --test runs each file in its own
// process, so each file has its own pair.)
import { before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serve } from './server.mjs';
import { launch } from './browser.mjs';

export const DIST = process.env.DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));

export let server;
export let browser;

/** Serves DIST under `prefix` (a sub-path such as '/imagelab/', as on GitHub Pages) for this file. */
export function useApp({ prefix = '/' } = {}) {
  before(async () => {
    server = await serve(DIST, 0, prefix);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}
