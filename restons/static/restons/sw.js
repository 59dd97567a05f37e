// Restons' service worker: keeps the app's shell (styles, scripts, icons) and the last Today page,
// so that Today opens without a network, marked "offline". Served at /sw.js (scope: the whole app).
"use strict";
var SHELL = "restons-shell-v1";
var PAGES = "restons-pages";
var STATIC = "__STATIC__";
var SHELL_FILES = [
  STATIC + "/restons/app.css",
  STATIC + "/restons/app.js",
  STATIC + "/restons/vendor/htmx-2.0.11.min.js",
  STATIC + "/restons/icons/icon-192.png",
  "/offline/",
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_FILES); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("restons-shell-") === 0 && n !== SHELL; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

// The kept copy of a page, marked offline: the page's own CSS shows its "offline" line.
function markedOffline(response) {
  return response.text().then(function (html) {
    return new Response(html.replace("<body", "<body data-offline=\"1\""), {
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    var isToday = url.pathname === "/";
    event.respondWith(fetch(request).then(function (response) {
      // Today's last list, kept for offline use (only a real page of a logged-in user, not a redirect).
      if (isToday && response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(PAGES).then(function (cache) { cache.put("/", copy); });
      }
      return response;
    }).catch(function () {
      return caches.open(PAGES).then(function (cache) { return cache.match(isToday ? "/" : "/offline/"); })
        .then(function (kept) {
          if (kept) return markedOffline(kept);
          return caches.match("/offline/").then(function (page) { return page ? markedOffline(page) : Response.error(); });
        });
    }));
    return;
  }
  if (url.pathname.indexOf(STATIC + "/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});
