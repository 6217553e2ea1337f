// Scalewise service worker: cache-first, so a page visited once keeps
// working offline. scripts/mkdist fills in the cache name (a hash of the
// build) and the file list.
//
// Only plain 200 responses of this origin are cached, each under the URL
// it came from (its final URL). A redirect, an opaque redirect or a
// response that was redirected on its way is never stored as it is: a
// navigation has redirect mode "manual", and a service worker's answer to
// it whose URL list has more than one entry is a network error (Fetch
// Standard, HTTP fetch), so a cached redirected index.html blanks every
// later visit. A server may answer /index.html with a redirect to ./ (Go's
// http.FileServer does); online the browser follows that redirect itself.
"use strict";
const CACHE = "__CACHE__";
const FILES = __FILES__;
// The site's one document, and the other URL it goes by: offline, a
// navigation to index.html that the cache cannot answer gets the document.
const SHELL = new URL("./", location).href;
const INDEX = new URL("index.html", location).href;

const sameOrigin = (r) => r.type === "basic" && new URL(r.url).origin === location.origin;
const cacheable = (r) => r.status === 200 && !r.redirected && sameOrigin(r);

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => Promise.all(FILES.map(async (f) => {
    const r = await fetch(f, { cache: "no-cache" });
    if (cacheable(r)) return c.put(r.url, r);
    // A file the server redirects (index.html → ./) is cached under the
    // URL it ends at, as a fresh response that is not marked redirected.
    if (r.status === 200 && sameOrigin(r)) {
      return c.put(r.url, new Response(await r.blob(), { status: 200, statusText: r.statusText, headers: r.headers }));
    }
    throw new Error(`could not cache ${f}: HTTP ${r.status}`);
  }))).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("scalewise-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});
self.addEventListener("fetch", (e) => {
  if (e.request.method !== "GET") return;
  e.respondWith(caches.open(CACHE).then(async (c) => {
    const hit = await c.match(e.request, { ignoreSearch: true });
    if (hit) return hit;
    let r;
    try {
      // A navigation's redirect comes back as an opaque redirect, which
      // the browser follows; it is not cached.
      r = await fetch(e.request);
    } catch (err) {
      const url = new URL(e.request.url);
      url.search = "";
      if (e.request.mode === "navigate" && url.href === INDEX) {
        const shell = await c.match(SHELL);
        if (shell) return shell;
      }
      throw err;
    }
    if (cacheable(r)) e.waitUntil(c.put(e.request.url, r.clone()));
    return r;
  }));
});
