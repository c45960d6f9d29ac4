// ImageLab's service worker: after one visit the whole lab — the page, the training worker and
// the built-in digits — works with no network (school Wi-Fi), and the app can be added to a
// phone's home screen. Network first, so an online visit always gets one consistent build; the
// cache answers only when the network does not. Every file lives beside this one, so the app works
// from any static host or sub-path.
const CACHE = 'imagelab-v1';
// The training worker comes in two builds of about 12 MB each; only the one this browser runs is
// kept (simd.js asks, as worker-loader.js does). It and the built-in digits are HEAVY: not cached
// at install (a first visit stays small), but kept once the page has fetched them — when a lab
// that needs them is first opened (register-sw.js, imagelabFetchHeavy, then the 'keep-heavy'
// message) — and refreshed with the rest from then on.
importScripts('./simd.js');
const WORKER = self.imagelabHasSimd() ? 'imagelab-worker-simd' : 'imagelab-worker';
const CORE = [
  './', 'index.html', 'style.css', 'imagelab-web.js', 'imagelab-web_bg.wasm', 'worker-loader.js',
  'simd.js', 'manifest.webmanifest', 'icon-192.png', 'icon-512.png', 'register-sw.js',
];
const HEAVY = [`${WORKER}.js`, `${WORKER}_bg.wasm`, 'data/digits.png', 'data/digits.labels',
  // The table lab's built-in tables (160 KB).
  'data/tables/breast_cancer.csv', 'data/tables/diabetes.csv', 'data/tables/iris.csv', 'data/tables/wine.csv'];
// The pretrained backbone for transfer learning (9.6 MB): fetched by the training worker only
// when a student first chooses transfer learning, kept from then on (a marker says so) and
// refreshed with the rest, as the heavy files are.
const BACKBONE = 'models/efficientnet-lite0-f16.bpk';
const WANTS_BACKBONE = '__backbone__';
const href = (f) => new URL(f, self.location).href;

// Fetches every file again into the cache, all or nothing (`addAll`), so the cached set is always
// one build — the heavy files too, once the page has asked for them (a marker in the cache says
// so) — then deletes whatever else the cache holds (files of older versions, the other worker
// build). Only this writes the cache, but for the backbone, which the fetch handler stores
// when the training worker first fetches it whole. Each file is revalidated with the server (`no-cache`: an
// unchanged file costs a 304, a changed one is fetched), never taken stale from the HTTP cache. At
// most once an hour, remembered in the cache itself (the browser stops idle service workers, so a
// variable would forget); at once when the page first asks for the heavy files.
const STAMP = '__refreshed__';
const WANTS_HEAVY = '__heavy__';
const refresh = async () => {
  const cache = await caches.open(CACHE);
  const files = (await cache.match(WANTS_HEAVY)) ? [...CORE, ...HEAVY] : [...CORE];
  if (await cache.match(WANTS_BACKBONE)) files.push(BACKBONE);
  await cache.addAll(files.map((f) => new Request(f, { cache: 'no-cache' })));
  // The backbone is always kept: the fetch handler may have stored it during this refresh.
  const keep = new Set([...files, BACKBONE, STAMP, WANTS_HEAVY, WANTS_BACKBONE].map(href));
  for (const request of await cache.keys()) {
    if (!keep.has(request.url)) await cache.delete(request);
  }
  await cache.put(STAMP, new Response(String(Date.now())));
};
// The page has fetched the heavy files (a lab that needs them was opened): keep them from now on,
// with the core files of the same moment, in one refresh.
const keepHeavy = async () => {
  const cache = await caches.open(CACHE);
  const kept = (await Promise.all(HEAVY.map((f) => cache.match(href(f))))).every(Boolean);
  if (kept && (await cache.match(WANTS_HEAVY))) return;
  await cache.put(WANTS_HEAVY, new Response('1'));
  await refresh();
};
const due = async () => {
  const stamp = await (await caches.open(CACHE)).match(STAMP);
  return !stamp || Date.now() - Number(await stamp.text()) > 3_600_000;
};

self.addEventListener('install', (event) => {
  event.waitUntil(refresh().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'keep-heavy') event.waitUntil(keepHeavy().catch(() => {}));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(request);
      if (request.mode === 'navigate' && response.ok) {
        event.waitUntil(due().then((yes) => yes && refresh()).catch(() => {}));
      }
      if (url.href === href(BACKBONE) && response.status === 200) {
        const copy = response.clone();
        event.waitUntil((async () => {
          const cache = await caches.open(CACHE);
          await cache.put(href(BACKBONE), copy);
          await cache.put(WANTS_BACKBONE, new Response('1'));
        })().catch(() => {}));
      }
      return response;
    } catch (offline) {
      // `?lang=en` and `#/train?e=…` are the same page.
      const cached = await caches.match(request, { ignoreSearch: true });
      if (cached) return cached;
      if (request.mode === 'navigate') {
        const page = await caches.match('./');
        if (page) return page;
      }
      throw offline;
    }
  })());
});
