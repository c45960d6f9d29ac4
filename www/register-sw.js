// Installs the service worker (www/sw.js) that keeps the lab working offline. Where service
// workers are unavailable (a file:// page, an old browser, private modes) the app simply stays
// online-only.
if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch((e) => console.warn('offline mode unavailable:', e));
  });
}
