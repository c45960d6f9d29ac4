// Launches Debian's Chromium through playwright-core (no browser download), headless, with
// WebGPU enabled (SwiftShader on machines without a GPU) and a fake webcam.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    ],
  });
}
