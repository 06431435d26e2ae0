// The service worker: keeps every file of the site on the device, so that after one visit the
// page opens and predicts with no network at all (a school tablet, a booth without Wi-Fi).
//
// The build (wasm/site/precache.mjs) writes build/wasm/site/sw.js as one line
//   const PRECACHE = { version: '<hash>', files: { 'index.html': '<sha-256>', ... } };
// followed by this file; the version is the hash of that list and of this file's text. Any change
// to any file therefore changes sw.js, which is how browsers notice an update. Each version lives
// in its own cache, named by the site's folder and that hash:
//   install   downloads every file, checks each one's SHA-256 against the list, and only when
//             all match stores them in the new version's cache; a file that changed meanwhile (a
//             deployment half done) or a failed download fails the install, and the version in
//             use stays, its cache untouched;
//   activate  deletes the caches of this site's older versions (other sites on the same origin,
//             like user.github.io/other-repo/, keep theirs). A new version waits (the browser's
//             default) until no page uses the old one, or until the only page of the site asks
//             for it right after starting, before anyone drew (web/offline.js), and reloads. So
//             a page never gets files from two versions;
//   fetch     answers the site's own files from this version's cache; anything else (the
//             one-file page digit-drawer.html, which is for downloading) goes to the network.

const kScope = self.registration.scope;  // the site's folder, e.g. https://user.github.io/repo/
const kCachePrefix = `digit-drawer ${kScope} `;
const kCache = kCachePrefix + PRECACHE.version;
const kPrecached = new Set(Object.keys(PRECACHE.files).map((path) => new URL(path, kScope).href));

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function precache() {
  const existed = await caches.has(kCache);  // this very version, kept from an earlier install
  try {
    const downloads = await Promise.all(Object.entries(PRECACHE.files).map(async ([path, hash]) => {
      // 'no-cache': revalidate with the server, so an HTTP-cached older copy is not taken.
      const response = await fetch(new URL(path, kScope), { cache: 'no-cache' });
      if (!response.ok) throw new Error(`${path}: the server answered ${response.status}`);
      const digest = hex(await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer()));
      if (digest !== hash) {
        throw new Error(`${path} is not the file of version ${PRECACHE.version} ` +
                        '(is the site being updated?); the version in use stays');
      }
      return [new URL(path, kScope).href, response];
    }));
    const cache = await caches.open(kCache);
    await Promise.all(downloads.map(([url, response]) => cache.put(url, response)));
  } catch (error) {
    if (!existed) await caches.delete(kCache);
    throw error;
  }
}

self.addEventListener('install', (event) => event.waitUntil(precache()));

self.addEventListener('activate', (event) => event.waitUntil((async () => {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(kCachePrefix) && name !== kCache)
    .map((name) => caches.delete(name)));
  await self.clients.claim();  // the first visit's page, which already has all its files
})()));

// Sent by web/offline.js from a page that has just started and not been drawn on yet. Taken
// only when that page is the site's only one: another open page keeps its version until closed.
self.addEventListener('message', (event) => {
  if (event.data !== 'activate-update') return;
  event.waitUntil((async () => {
    const pages = (await self.clients.matchAll({ type: 'window', includeUncontrolled: true }))
      .filter((client) => client.url.startsWith(kScope));
    if (pages.length === 1 && pages[0].id === event.source?.id) await self.skipWaiting();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  let key = url.href;
  if (request.mode === 'navigate' && key === kScope) key = new URL('index.html', kScope).href;
  if (!kPrecached.has(key)) return;  // not a file of the site: the network, as without us
  event.respondWith((async () => {
    const cached = await caches.match(key, { cacheName: kCache });
    // Only when the browser has evicted the cache: the network, which may still work.
    return cached ?? fetch(request);
  })());
});
