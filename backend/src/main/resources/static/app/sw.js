// The consultant app's service worker: keeps the app shell so the app opens (and shows
// it is offline) without a network; API calls, events and signalling always go to the
// network. Push notifications are added with web push (the routing issue).
const SHELL = "beeldzorg-app-v1";
const FILES = ["/app/", "/app/app.js", "/app/manifest.webmanifest", "/app/icon.svg", "/common/pages.css",
  "/common/i18n.js", "/common/session.js", "/common/call.js", "/vendor/oidc-client-ts.min.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== SHELL).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

// Network first for the shell (a new release shows at once), the cache when offline.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || !FILES.includes(url.pathname)) { return; }
  event.respondWith(fetch(event.request)
    .then((response) => {
      const copy = response.clone();
      caches.open(SHELL).then((cache) => cache.put(event.request, copy));
      return response;
    })
    .catch(() => caches.match(event.request)));
});
