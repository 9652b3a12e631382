// leadkit's service worker: the app shell (styles, scripts, icons, the offline
// page) is kept on install, and the signed-in person's pages that matter away
// from a connection (home, reflection, evidence) are kept as they are fetched,
// so that they open with no connection. Pages always come from the network
// when it answers; the kept copy is only for when it does not.
//
// Kept pages are one person's: the page tells this worker whose they are
// (`person`), and a different person, or none (signed out), empties them.
// Signing out also clears everything (the server sends Clear-Site-Data).
//
// The server writes VERSION and SHELL above this line.
'use strict';

var SHELL_CACHE = 'leadkit-shell-' + VERSION;
var PAGES_CACHE = 'leadkit-pages';
var META_CACHE = 'leadkit-meta';
var OFFLINE_PAGE = SHELL[0];

// The pages worth having away from a connection.
var KEEP = /^\/($|reflect(\/|$)|evidence$|goals$|profile$)/;

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL_CACHE)
    .then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf('leadkit-shell-') === 0 && key !== SHELL_CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

function keptPerson() {
  return caches.open(META_CACHE)
    .then(function (cache) { return cache.match('/person'); })
    .then(function (response) { return response ? response.text() : ''; });
}

// Whose pages are kept: a change of person (or signing out) empties them first.
function setPerson(person) {
  return keptPerson().then(function (kept) {
    if (kept === person) { return null; }
    return caches.delete(PAGES_CACHE).then(function () {
      return caches.open(META_CACHE);
    }).then(function (cache) { return cache.put('/person', new Response(person)); });
  });
}

// Fetches the pages a page names (the other subdomains of a reflection) and keeps them.
function warm(urls) {
  return keptPerson().then(function (person) {
    if (!person) { return null; }
    return caches.open(PAGES_CACHE).then(function (cache) {
      return Promise.all(urls.filter(function (url) {
        return KEEP.test(new URL(url, self.location.origin).pathname);
      }).map(function (url) {
        return fetch(url, { credentials: 'same-origin', redirect: 'error' }).then(function (response) {
          if (response.ok && (response.headers.get('content-type') || '').indexOf('text/html') === 0) {
            return cache.put(url, response);
          }
          return null;
        }).catch(function () { return null; });
      }));
    });
  });
}

self.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.type === 'person') {
    event.waitUntil(setPerson(String(data.person || '')).then(function () {
      return data.warm && data.warm.length ? warm(data.warm) : null;
    }));
  } else if (data.type === 'forget') {
    event.waitUntil(Promise.all([caches.delete(PAGES_CACHE), caches.delete(META_CACHE)]));
  }
});

function page(request) {
  var url = new URL(request.url);
  return fetch(request).then(function (response) {
    // Only a signed-in page that was not redirected (to sign in) is kept.
    if (response.ok && !response.redirected && KEEP.test(url.pathname) &&
        (response.headers.get('content-type') || '').indexOf('text/html') === 0) {
      var copy = response.clone();
      keptPerson().then(function (person) {
        if (person) { return caches.open(PAGES_CACHE).then(function (cache) { return cache.put(url.pathname + url.search, copy); }); }
        return null;
      });
    }
    return response;
  }).catch(function () {
    return caches.open(PAGES_CACHE)
      .then(function (cache) { return cache.match(url.pathname + url.search); })
      .then(function (kept) { return kept || caches.match(OFFLINE_PAGE); })
      .then(function (kept) {
        return kept || new Response('You are offline.', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
      });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (SHELL.indexOf(url.pathname) !== -1) {
    // Shell files are content-hashed: the kept copy is always right.
    event.respondWith(caches.match(url.pathname).then(function (kept) { return kept || fetch(request); }));
  }
});
