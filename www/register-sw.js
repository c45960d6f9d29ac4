// Installs the service worker (www/sw.js) that keeps the lab working offline. Where service
// workers are unavailable (a file:// page, an old browser, private modes) the app simply stays
// online-only.
if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('offline mode unavailable:', e));
  });
}

// The heavy files — the training worker this browser runs (about 3 MB compressed, 12 MB raw in a
// release build) and the built-in digits — are not part of the first visit: a student who only
// uses the image lab never downloads them. The page calls imagelabFetchHeavy(onProgress) when a
// lab that needs them is first opened; it downloads them (through the service worker, which keeps
// them for offline use), reports bytes received of the total, and asks the service worker to keep
// any it could not see (when it did not control the page yet). Resolves to the bytes received.
// simd.js (loaded before this file) tells which worker build to take; `?simd=0` forces the plain
// one, as worker-loader.js does.
window.imagelabHeavyFiles = () => {
  const plain = new URLSearchParams(location.search).get('simd') === '0' || !self.imagelabHasSimd();
  const worker = plain ? 'imagelab-worker' : 'imagelab-worker-simd';
  return [`${worker}.js`, `${worker}_bg.wasm`, 'data/digits.png', 'data/digits.labels',
    'data/tables/breast_cancer.csv', 'data/tables/diabetes.csv', 'data/tables/iris.csv', 'data/tables/wine.csv'];
};
window.imagelabFetchHeavy = async (onProgress) => {
  const responses = await Promise.all(window.imagelabHeavyFiles().map((f) => fetch(f)));
  let total = 0;
  for (const r of responses) {
    if (!r.ok) {
      // Named, with its file and status, so the page can say it in the student's language.
      const url = new URL(r.url).pathname;
      throw Object.assign(new Error(`${url}: HTTP ${r.status}`), { name: 'HttpError', url, status: r.status });
    }
    total += Number(r.headers.get('content-length')) || 0;
  }
  let loaded = 0;
  onProgress(0, total);
  await Promise.all(responses.map(async (r) => {
    const reader = r.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.length;
      // A compressed transfer's length counts fewer bytes than arrive decompressed.
      total = Math.max(total, loaded);
      onProgress(loaded, total);
    }
  }));
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.ready.then((r) => r.active?.postMessage('keep-heavy')).catch(() => {});
  }
  return loaded;
};
