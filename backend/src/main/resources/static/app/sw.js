// The consultant app's service worker: keeps the app shell so the app opens (and shows
// it is offline) without a network; API calls, events and signalling always go to the
// network. A Web Push for a ringing consult shows a notification that stays until
// answered, with "Accept" opening the app straight into the call.
const SHELL = "beeldzorg-app-v5";
// The app keeps the language its user chose here (the Cache API is shared with the page),
// so a notification speaks the app's language, not the phone's.
const SETTINGS = "beeldzorg-settings";
const TEXTS = {
  nl: { title: "Beeldzorg: consult gaat over", body: "{from} vraagt u", accept: "Aannemen", open: "Bekijken",
    reminderTitle: "Beeldzorg: uitkomst nog invullen", reminderBody: "Een consult wacht nog op de uitkomst; zonder uitkomst telt de bespaarde tijd niet mee.", fillIn: "Invullen" },
  en: { title: "Beeldzorg: a consult is ringing", body: "{from} asks for you", accept: "Accept", open: "View",
    reminderTitle: "Beeldzorg: outcome still to fill in", reminderBody: "A consult still waits for its outcome; without it the time saved does not count.", fillIn: "Fill in" }
};
const FILES = ["/app/", "/app/app.js", "/app/manifest.webmanifest", "/app/icon.svg", "/common/pages.css",
  "/common/i18n.js", "/common/session.js", "/common/ui.js", "/common/call.js", "/vendor/oidc-client-ts.min.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key !== SHELL && key !== SETTINGS).map((key) => caches.delete(key))))
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

async function language() {
  const chosen = await caches.open(SETTINGS).then((cache) => cache.match("/app/settings/language")).catch(() => null);
  const value = chosen ? await chosen.text() : (self.navigator.language || "nl");
  return value.startsWith("en") ? "en" : "nl";
}

self.addEventListener("push", (event) => {
  const data = event.data ? event.data.json() : {};
  event.waitUntil(language().then((chosen) => {
    const text = TEXTS[chosen];
    // A reminder of an outcome skipped after a call: opens its form.
    if (data.type === "consult.outcome-pending") {
      return self.registration.showNotification(text.reminderTitle, {
        body: text.reminderBody,
        tag: "outcome-" + data.consultId,
        data: { url: data.url || "/app/", consultId: data.consultId, reminder: true },
        actions: [{ action: "open", title: text.fillIn }]
      });
    }
    return self.registration.showNotification(text.title, {
      body: text.body.replace("{from}", data.from || "") + (data.urgency === "EMERGENCY" ? " (!)" : ""),
      tag: data.consultId,
      renotify: true,
      requireInteraction: true,
      vibrate: [400, 200, 400, 200, 400],
      data: { url: data.url || "/app/", consultId: data.consultId },
      actions: [{ action: "accept", title: text.accept }, { action: "open", title: text.open }]
    });
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = event.notification.data.url + (event.action === "accept" && !event.notification.data.reminder ? "&accept=1" : "");
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const open = windows.find((w) => new URL(w.url).pathname.startsWith("/app/"));
    return open ? open.navigate(target).then((w) => (w || open).focus()) : self.clients.openWindow(target);
  }));
});
