// Trunk post-build hook: writes the Content-Security-Policy into the built index.html.
//
// The policy lets the page load only its own files: scripts from itself (plus the one inline
// module script Trunk writes to start the wasm, allowed by its SHA-256 and nothing else), wasm
// compilation, styles from itself, images, fetches and workers from itself and `blob:`/`data:`
// (photos the student picks, canvases, downloads). Nothing may be sent to or loaded from any
// other origin. The hash is computed here, after Trunk has written the script, so the policy
// always matches the build. README ("Hosting") lists the same policy as HTTP headers, which
// also cover the training worker (a <meta> policy covers the page only).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) {
  console.error('csp.mjs: no TRUNK_STAGING_DIR (run it as a Trunk hook, or pass the folder)');
  process.exit(2);
}
const file = join(dir, 'index.html');
let html = readFileSync(file, 'utf8');
html = html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '');

const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
}

export const policy = (scriptHashes) => [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${scriptHashes.join(' ')}`.trim(),
  "worker-src 'self'",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  // Yew sets style attributes (bar widths, colours): attributes need 'unsafe-inline'; style
  // sheets still come only from the app.
  "style-src 'self' 'unsafe-inline'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(hashes)}" />`;
if (!/<meta charset="utf-8" \/>/.test(html)) {
  console.error('csp.mjs: index.html has no <meta charset="utf-8" /> to put the policy after');
  process.exit(1);
}
html = html.replace(/<meta charset="utf-8" \/>/, (m) => `${m}\n  ${meta}`);
writeFileSync(file, html);
console.log(`csp.mjs: policy written with ${hashes.length} inline script hash(es)`);
