// The kiosk's service worker (scope /kiosk/): keeps the page's own files so the kiosk opens
// and works with no network. Network first (a new feedbackd brings new files), the kept copy
// when the network fails or is slow. Calls to feedbackd (POST) are never touched: the page's
// outbox (outbox.js) keeps answers until they are sent.

const CACHE = 'feedbackd-kiosk-v1';
const FILES = [
  './', 'index.html', 'kiosk.css', 'manifest.json', 'icon.svg', 'app.js', 'connect.js', 'faces.js',
  'i18n.js', 'outbox.js', 'pin.js', 'sender.js', 'settings.js', 'speech.js', 'staff.js',
  'i18n/languages.json',
];
const NETWORK_WAIT_MS = 4000;

async function keepEverything() {
  const cache = await caches.open(CACHE);
  await cache.addAll(FILES);
  // Every language in the list (adding a language is adding a file and a line there).
  const listed = await cache.match('i18n/languages.json');
  const codes = listed ? await listed.json() : [];
  await cache.addAll(codes.map((code) => `i18n/${code}.json`));
}

self.addEventListener('install', (event) => {
  event.waitUntil(keepEverything().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error('slow')), NETWORK_WAIT_MS)),
    ]);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true }) ??
      (request.mode === 'navigate' ? await cache.match('./') : undefined);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(self.registration.scope)) return;
  event.respondWith(networkFirst(request));
});
